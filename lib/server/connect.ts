import pg from 'pg';
import {
  describeHost,
  describeHosts,
  parseConnectionUrl,
  type ConnectionTarget,
  type HostPort,
  type TargetSessionAttrs,
} from './connection-url';
import { NO_SUITABLE_HOST, SESSION_MISMATCH } from './db-errors';

/**
 * Connections through a libpq host list on node-postgres: the hosts are tried in order and each
 * session is checked against target_session_attrs with libpq's meaning (read-write and
 * read-only look at transaction_read_only, primary and standby at pg_is_in_recovery();
 * prefer-standby tries every host for a standby first, then any). Every connection the product
 * opens goes through here (docs/RELIABILITY.md, "Replicated databases").
 */

export interface ConnectOptions {
  /**
   * Used when the URL names no target_session_attrs. libpq's default is `any`; connections that
   * write (the worker, the history writer, migrations, ops) pass `read-write`, so a host list
   * never lands them on a standby.
   */
  defaultTargetSessionAttrs?: TargetSessionAttrs;
}

/** `-c` settings from the URL's `options` and the caller's, both kept. */
function mergeConfig(target: ConnectionTarget, extra: pg.ClientConfig, host: HostPort): pg.ClientConfig {
  const options = [target.config.options, extra.options].filter(Boolean).join(' ');
  return {
    ...target.config,
    ...extra,
    ...(options ? { options } : {}),
    connectionString: undefined,
    host: host.host,
    port: host.port,
  };
}

function targetOf(url: string | ConnectionTarget): ConnectionTarget {
  return typeof url === 'string' ? parseConnectionUrl(url) : url;
}

function attrsOf(target: ConnectionTarget, options: ConnectOptions): TargetSessionAttrs {
  return target.targetSessionAttrs ?? options.defaultTargetSessionAttrs ?? 'any';
}

/** libpq's messages for a session that does not suit; undefined when it does. */
export async function sessionMismatch(client: pg.ClientBase, attrs: TargetSessionAttrs): Promise<string | undefined> {
  if (attrs === 'any') return undefined;
  const result = await client.query<{ recovery: boolean; read_only: boolean }>(
    "SELECT pg_is_in_recovery() AS recovery, current_setting('transaction_read_only') = 'on' AS read_only",
  );
  const row = result.rows[0];
  if (!row) return 'the session check returned no row';
  switch (attrs) {
    case 'read-write':
      return row.read_only ? 'session is read-only' : undefined;
    case 'read-only':
      return row.read_only ? undefined : 'session is not read-only';
    case 'primary':
      return row.recovery ? 'server is in hot standby mode' : undefined;
    case 'standby':
    case 'prefer-standby':
      return row.recovery ? undefined : 'server is not in hot standby mode';
  }
}

// A read-only session or a standby where a writable one was wanted carries 25006
// (read_only_sql_transaction), what a write there would have raised.
const READ_ONLY_REASONS = new Set(['session is read-only', 'server is in hot standby mode']);

function mismatchError(host: HostPort, reason: string): Error {
  const code = READ_ONLY_REASONS.has(reason) ? '25006' : SESSION_MISMATCH;
  return Object.assign(new Error(`${describeHost(host)}: ${reason}`), { code });
}

function noSuitableHost(target: ConnectionTarget, attrs: TargetSessionAttrs, errors: Error[]): AggregateError {
  const detail = errors.map((error) => error.message).join('; ');
  return Object.assign(
    new AggregateError(
      errors,
      `no host of ${describeHosts(target.hosts)} accepted a target_session_attrs=${attrs} connection: ${detail}`,
    ),
    { code: NO_SUITABLE_HOST },
  );
}

async function tryHost(
  target: ConnectionTarget,
  host: HostPort,
  attrs: TargetSessionAttrs,
  extra: pg.ClientConfig,
): Promise<pg.Client> {
  const client = new pg.Client(mergeConfig(target, extra, host));
  const ignore = () => {};
  client.on('error', ignore);
  try {
    await client.connect();
  } catch (error) {
    const cause = error instanceof Error ? error : new Error(String(error));
    throw Object.assign(new Error(`${describeHost(host)}: ${cause.message}`, { cause }), {
      code: (cause as { code?: unknown }).code,
    });
  }
  try {
    const mismatch = await sessionMismatch(client, attrs);
    if (mismatch) throw mismatchError(host, mismatch);
  } catch (error) {
    await client.end().catch(() => {});
    throw error;
  }
  client.off('error', ignore);
  return client;
}

/** Which host a connection went to (the one whose session suited). */
export interface ConnectedClient {
  client: pg.Client;
  host: HostPort;
}

/**
 * One client on the first host, in order, whose session suits target_session_attrs. Throws an
 * AggregateError (code NO_SUITABLE_HOST, each host's reason in the message) when none does.
 */
export async function connectTo(
  url: string | ConnectionTarget,
  extra: pg.ClientConfig = {},
  options: ConnectOptions = {},
): Promise<ConnectedClient> {
  const target = targetOf(url);
  const attrs = attrsOf(target, options);
  const passes: TargetSessionAttrs[] = attrs === 'prefer-standby' ? ['standby', 'any'] : [attrs];
  const errors: Error[] = [];
  for (const pass of passes) {
    for (const host of target.hosts) {
      try {
        return { client: await tryHost(target, host, pass, extra), host };
      } catch (error) {
        errors.push(error instanceof Error ? error : new Error(String(error)));
      }
    }
  }
  throw noSuitableHost(target, attrs, errors);
}

/** connectTo without the host: a connected pg.Client for one-off work (migrations, ops). */
export async function connectClient(
  url: string | ConnectionTarget,
  extra: pg.ClientConfig = {},
  options: ConnectOptions = {},
): Promise<pg.Client> {
  return (await connectTo(url, extra, options)).client;
}

/**
 * Remembers the host the last good connection went to, so a pool's new connections go straight
 * there; forgotten when a connection to it fails or its session no longer suits, and the next
 * one walks the list from the first host again.
 */
class HostResolver {
  private current: HostPort | undefined;
  private probing: Promise<HostPort> | undefined;

  constructor(
    private readonly target: ConnectionTarget,
    private readonly attrs: TargetSessionAttrs,
    private readonly extra: pg.ClientConfig,
  ) {}

  async pick(): Promise<HostPort> {
    if (this.current) return this.current;
    // One host: the pooled connection itself is the try, and is checked after connecting.
    if (this.target.hosts.length === 1 && this.attrs !== 'prefer-standby') return this.target.hosts[0]!;
    this.probing ??= connectTo(this.target, this.extra, { defaultTargetSessionAttrs: this.attrs })
      .then(async ({ client, host }) => {
        await client.end().catch(() => {});
        this.current = host;
        return host;
      })
      .finally(() => {
        this.probing = undefined;
      });
    return this.probing;
  }

  forget(host: HostPort): void {
    if (this.current === host) this.current = undefined;
  }
}

/**
 * A pg.Pool whose every new connection goes through the host list and is checked against
 * target_session_attrs: a pool opened on a host list follows a failover. pg-pool discards a client
 * whose query failed, so connections to a node that went away or became a standby are replaced
 * one by one, each through the list.
 */
export function createHostListPool(
  url: string | ConnectionTarget,
  poolConfig: Omit<pg.PoolConfig, 'connectionString'>,
  options: ConnectOptions = {},
): pg.Pool {
  const target = targetOf(url);
  const attrs = attrsOf(target, options);
  const checkAttrs: TargetSessionAttrs = attrs === 'prefer-standby' ? 'any' : attrs;
  const resolver = new HostResolver(target, attrs, poolConfig);

  class HostListClient extends pg.Client {
    // pg-pool calls connect(callback); other callers await connect().
    override connect(): Promise<pg.Client>;
    override connect(callback: (error: Error) => void): void;
    override connect(callback?: (error: Error) => void): Promise<pg.Client> | void {
      const connecting = this.connectThroughList().then(() => this);
      if (!callback) return connecting;
      connecting.then(
        () => (callback as (error: Error | null) => void)(null),
        (error: Error) => callback(error),
      );
    }

    private async connectThroughList(): Promise<void> {
      const host = await resolver.pick();
      const self = this as unknown as {
        host?: string;
        port?: number;
        connectionParameters: { host?: string; port?: number };
      };
      const merged = mergeConfig(target, {}, host);
      self.host = self.connectionParameters.host = merged.host ?? self.host;
      self.port = self.connectionParameters.port = merged.port ?? self.port;
      try {
        await super.connect();
      } catch (error) {
        resolver.forget(host);
        throw error;
      }
      // pg-pool listens for 'error' only once connect() has called back; a connection cut during
      // the check (a node shut down or killed, HAProxy cutting its sessions) also emits 'error',
      // which unheard would end the process. The check's rejection carries the failure.
      const ignore = () => {};
      this.on('error', ignore);
      let mismatch: string | undefined;
      try {
        mismatch = await sessionMismatch(this, checkAttrs);
      } catch (error) {
        resolver.forget(host);
        throw error;
      } finally {
        this.off('error', ignore);
      }
      if (mismatch) {
        resolver.forget(host);
        await this.end().catch(() => {});
        throw mismatchError(host, mismatch);
      }
    }
  }

  const { options: extraOptions, ...rest } = poolConfig;
  return new pg.Pool({
    ...target.config,
    ...rest,
    options: [target.config.options, extraOptions].filter(Boolean).join(' ') || undefined,
    Client: HostListClient as unknown as pg.PoolConfig['Client'],
  });
}
