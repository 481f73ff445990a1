import type pg from 'pg';
import { parseIntoClientConfig } from 'pg-connection-string';

/**
 * libpq's connection URI with its host list (`postgres://u@h1:5432,h2:5433/db?target_session_attrs=…`),
 * which neither WHATWG URL nor node-postgres can parse. The hosts are taken out here; what is left
 * is a one-host URL that pg-connection-string parses (user, password, database, sslmode,
 * application_name, options …), so those keep node-postgres's meaning. The result has explicit
 * host/port fields and no connectionString: node-postgres lets a connectionString override them.
 */

export const TARGET_SESSION_ATTRS = ['any', 'read-write', 'read-only', 'primary', 'standby', 'prefer-standby'] as const;
export type TargetSessionAttrs = (typeof TARGET_SESSION_ATTRS)[number];

export interface HostPort {
  /** a name, an address (IPv6 without brackets) or a Unix-socket directory; undefined: node-postgres's default */
  host: string | undefined;
  port: number | undefined;
}

export interface ConnectionTarget {
  hosts: HostPort[];
  /** undefined when the URL does not say (libpq's default is `any`; a caller may choose another) */
  targetSessionAttrs: TargetSessionAttrs | undefined;
  /** everything but host and port */
  config: pg.ClientConfig;
}

export class ConnectionUrlError extends Error {
  constructor(message: string) {
    super(`invalid connection URL: ${message}`);
    this.name = 'ConnectionUrlError';
  }
}

const SCHEME = /^postgres(?:ql)?:\/\//i;

function decode(part: string, what: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    throw new ConnectionUrlError(`${what} is not valid percent-encoding: ${JSON.stringify(part)}`);
  }
}

function parsePort(text: string): number | undefined {
  if (text === '') return undefined;
  if (!/^\d{1,5}$/.test(text) || Number(text) < 1 || Number(text) > 65535) {
    throw new ConnectionUrlError(`invalid port number: ${JSON.stringify(text)}`);
  }
  return Number(text);
}

/** One `host[:port]` of the list; `[v6addr]:port` for IPv6. */
function parseHostSpec(spec: string): HostPort {
  if (spec.startsWith('[')) {
    const close = spec.indexOf(']');
    if (close < 0) throw new ConnectionUrlError(`unterminated IPv6 address: ${JSON.stringify(spec)}`);
    const rest = spec.slice(close + 1);
    if (rest !== '' && !rest.startsWith(':')) {
      throw new ConnectionUrlError(`unexpected text after the IPv6 address: ${JSON.stringify(spec)}`);
    }
    return { host: spec.slice(1, close), port: parsePort(rest.slice(1)) };
  }
  const colon = spec.lastIndexOf(':');
  const host = colon < 0 ? spec : spec.slice(0, colon);
  const port = colon < 0 ? undefined : parsePort(spec.slice(colon + 1));
  return { host: host === '' ? undefined : decode(host, 'host'), port };
}

/** Commas outside brackets separate the hosts. */
function splitHostList(list: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (const char of list) {
    if (char === '[') depth += 1;
    if (char === ']') depth -= 1;
    if (char === ',' && depth === 0) {
      parts.push(current);
      current = '';
    } else current += char;
  }
  parts.push(current);
  return parts;
}

/** Parses a libpq connection URI; throws ConnectionUrlError saying what is wrong. */
export function parseConnectionUrl(url: string): ConnectionTarget {
  const text = url.trim();
  const scheme = SCHEME.exec(text);
  if (!scheme) throw new ConnectionUrlError('it must start with postgres:// or postgresql://');
  const rest = text.slice(scheme[0].length);
  const authorityEnd = rest.search(/[/?]/);
  const authority = authorityEnd < 0 ? rest : rest.slice(0, authorityEnd);
  const tail = authorityEnd < 0 ? '' : rest.slice(authorityEnd);
  const at = authority.lastIndexOf('@');
  const userinfo = at < 0 ? '' : authority.slice(0, at + 1);
  const hostList = at < 0 ? authority : authority.slice(at + 1);

  const queryStart = tail.indexOf('?');
  const path = queryStart < 0 ? tail : tail.slice(0, queryStart);
  const query = new URLSearchParams(queryStart < 0 ? '' : tail.slice(queryStart + 1));

  let hosts = hostList === '' ? [] : splitHostList(hostList).map(parseHostSpec);
  // Query parameters win over the URI's components, as in libpq: ?host=a,b&port=1,2
  const queryHosts = query.get('host');
  const queryPorts = query.get('port');
  if (queryHosts !== null) {
    hosts = queryHosts.split(',').map((host) => ({ host: host === '' ? undefined : host, port: undefined }));
  }
  if (hosts.length === 0) hosts = [{ host: undefined, port: undefined }];
  if (queryPorts !== null) {
    const ports = queryPorts.split(',').map(parsePort);
    if (ports.length !== 1 && ports.length !== hosts.length) {
      throw new ConnectionUrlError(`could not match ${ports.length} port numbers to ${hosts.length} hosts`);
    }
    hosts = hosts.map((host, index) => ({ ...host, port: ports.length === 1 ? ports[0] : ports[index] }));
  }

  const attrs = query.get('target_session_attrs');
  if (attrs !== null && !(TARGET_SESSION_ATTRS as readonly string[]).includes(attrs)) {
    throw new ConnectionUrlError(
      `invalid target_session_attrs value: ${JSON.stringify(attrs)} (one of ${TARGET_SESSION_ATTRS.join(', ')})`,
    );
  }
  for (const key of ['host', 'port', 'target_session_attrs']) query.delete(key);

  const remaining = query.toString();
  const single = `postgres://${userinfo}localhost${path}${remaining ? `?${remaining}` : ''}`;
  let parsed: pg.ClientConfig & Record<string, unknown>;
  try {
    parsed = parseIntoClientConfig(single) as pg.ClientConfig & Record<string, unknown>;
  } catch (error) {
    throw new ConnectionUrlError(error instanceof Error ? error.message : String(error));
  }
  const { host: _host, port: _port, connect_timeout: connectTimeout, ...config } = parsed;
  if (config.user === '') delete config.user;
  if (config.password === '') delete config.password;
  if (config.database === '') delete config.database;
  if (connectTimeout !== undefined) {
    const seconds = Number(connectTimeout);
    if (!Number.isInteger(seconds) || seconds < 0) {
      throw new ConnectionUrlError(`invalid connect_timeout value: ${JSON.stringify(connectTimeout)}`);
    }
    if (seconds > 0) config.connectionTimeoutMillis = seconds * 1000;
  }
  return { hosts, targetSessionAttrs: (attrs ?? undefined) as TargetSessionAttrs | undefined, config };
}

/** "h1:5432,h2:5433" for logs and messages (no credentials). */
export function describeHosts(hosts: readonly HostPort[]): string {
  return hosts.map(describeHost).join(',');
}

export function describeHost(host: HostPort): string {
  const name = host.host ?? 'localhost';
  return `${name.includes(':') ? `[${name}]` : name}:${host.port ?? 5432}`;
}
