// lib/server/connection-url.ts against the URIs of libpq's documentation (34.1.1, "Connection
// URIs"), its multi-host examples, and the mistakes that must be refused with a clear message.
import { describe, expect, test } from 'vitest';
import { describeHosts, parseConnectionUrl } from '../../lib/server/connection-url';
import { parseEnv } from '../../lib/server/env';

const hostsOf = (url: string) => parseConnectionUrl(url).hosts;

describe("libpq's documented URIs", () => {
  test.each([
    ['postgresql://', [{ host: undefined, port: undefined }], {}],
    ['postgresql://localhost', [{ host: 'localhost', port: undefined }], {}],
    ['postgresql://localhost:5433', [{ host: 'localhost', port: 5433 }], {}],
    ['postgresql://localhost/mydb', [{ host: 'localhost', port: undefined }], { database: 'mydb' }],
    ['postgresql://user@localhost', [{ host: 'localhost', port: undefined }], { user: 'user' }],
    [
      'postgresql://user:secret@localhost',
      [{ host: 'localhost', port: undefined }],
      { user: 'user', password: 'secret' },
    ],
    [
      'postgresql://other@localhost/otherdb?connect_timeout=10&application_name=myapp',
      [{ host: 'localhost', port: undefined }],
      { user: 'other', database: 'otherdb', application_name: 'myapp', connectionTimeoutMillis: 10_000 },
    ],
    [
      'postgresql://host1:123,host2:456/somedb?target_session_attrs=any&application_name=myapp',
      [
        { host: 'host1', port: 123 },
        { host: 'host2', port: 456 },
      ],
      { database: 'somedb', application_name: 'myapp' },
    ],
    ['postgresql://[2001:db8::1234]/database', [{ host: '2001:db8::1234', port: undefined }], { database: 'database' }],
    [
      'postgresql:///dbname?host=/var/lib/postgresql',
      [{ host: '/var/lib/postgresql', port: undefined }],
      { database: 'dbname' },
    ],
    [
      'postgresql://%2Fvar%2Flib%2Fpostgresql/dbname',
      [{ host: '/var/lib/postgresql', port: undefined }],
      { database: 'dbname' },
    ],
  ])('%s', (url, hosts, config) => {
    const parsed = parseConnectionUrl(url);
    expect(parsed.hosts).toEqual(hosts);
    expect(parsed.config).toMatchObject(config);
    expect(parsed.config).not.toHaveProperty('host');
    expect(parsed.config).not.toHaveProperty('port');
    expect(parsed.config).not.toHaveProperty('connectionString');
  });

  test('target_session_attrs=any is read; absent is undefined (the caller picks its default)', () => {
    expect(
      parseConnectionUrl('postgresql://host1:123,host2:456/somedb?target_session_attrs=any').targetSessionAttrs,
    ).toBe('any');
    expect(parseConnectionUrl('postgresql://host1/somedb').targetSessionAttrs).toBeUndefined();
  });
});

describe('host lists', () => {
  test("the issue's URL: two hosts in order, read-write, password and user kept, no host in the config", () => {
    const parsed = parseConnectionUrl(
      'postgres://frontier:s%40cret@10.0.0.1:5432,10.0.0.2:5432/pipeline?target_session_attrs=read-write',
    );
    expect(parsed.hosts).toEqual([
      { host: '10.0.0.1', port: 5432 },
      { host: '10.0.0.2', port: 5432 },
    ]);
    expect(parsed.targetSessionAttrs).toBe('read-write');
    expect(parsed.config).toMatchObject({ user: 'frontier', password: 's@cret', database: 'pipeline' });
    expect(describeHosts(parsed.hosts)).toBe('10.0.0.1:5432,10.0.0.2:5432');
  });

  test.each(['any', 'read-write', 'read-only', 'primary', 'standby', 'prefer-standby'])(
    'target_session_attrs=%s',
    (attrs) => {
      expect(parseConnectionUrl(`postgres://a,b/db?target_session_attrs=${attrs}`).targetSessionAttrs).toBe(attrs);
    },
  );

  test('a host without a port, IPv6 in a list, and ports from the query (one for all, or one each)', () => {
    expect(hostsOf('postgres://a,[::1]:6000,b:7000/db')).toEqual([
      { host: 'a', port: undefined },
      { host: '::1', port: 6000 },
      { host: 'b', port: 7000 },
    ]);
    expect(hostsOf('postgres:///db?host=a,b&port=5433')).toEqual([
      { host: 'a', port: 5433 },
      { host: 'b', port: 5433 },
    ]);
    expect(hostsOf('postgres:///db?host=a,b&port=1,2')).toEqual([
      { host: 'a', port: 1 },
      { host: 'b', port: 2 },
    ]);
    expect(describeHosts(hostsOf('postgres://a,[::1]:6000/db'))).toBe('a:5432,[::1]:6000');
  });

  test('other parameters keep node-postgres meaning (options, sslmode)', () => {
    const parsed = parseConnectionUrl('postgres://u@a:1,b:2/db?options=-c%20statement_timeout%3D5s&sslmode=disable');
    expect(parsed.config.options).toBe('-c statement_timeout=5s');
    expect(parsed.config.ssl).toBe(false);
  });
});

describe('bad input is refused, naming what is wrong', () => {
  test.each([
    ['mysql://localhost/db', 'invalid connection URL: it must start with postgres:// or postgresql://'],
    ['postgres://a:99999/db', 'invalid connection URL: invalid port number: "99999"'],
    ['postgres://a:x/db', 'invalid connection URL: invalid port number: "x"'],
    ['postgres://[::1/db', 'invalid connection URL: unterminated IPv6 address: "[::1"'],
    [
      'postgres://a,b/db?target_session_attrs=master',
      'invalid connection URL: invalid target_session_attrs value: "master" (one of any, read-write, read-only, primary, standby, prefer-standby)',
    ],
    ['postgres:///db?host=a,b,c&port=1,2', 'invalid connection URL: could not match 2 port numbers to 3 hosts'],
    ['postgres://a/db?connect_timeout=soon', 'invalid connection URL: invalid connect_timeout value: "soon"'],
  ])('%s', (url, message) => {
    expect(() => parseConnectionUrl(url)).toThrow(message);
  });

  test('the configuration accepts a host list and names the variable of a bad one', () => {
    expect(
      parseEnv({ DATABASE_URL: 'postgres://u@h1:5432,h2:5432/db?target_session_attrs=read-write' }).DATABASE_URL,
    ).toBe('postgres://u@h1:5432,h2:5432/db?target_session_attrs=read-write');
    expect(() => parseEnv({ DATABASE_READ_URL: 'postgres://h1,h2/db?target_session_attrs=replica' })).toThrow(
      /DATABASE_READ_URL: invalid connection URL: invalid target_session_attrs value: "replica"/,
    );
    expect(() => parseEnv({ DATABASE_URL: 'not a url' })).toThrow(/DATABASE_URL: invalid connection URL/);
  });
});
