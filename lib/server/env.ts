import { z } from 'zod';
import { ConnectionUrlError, parseConnectionUrl } from './connection-url';

export const AUTH_MODES = ['none', 'basic', 'oidc', 'proxy'] as const;
export type AuthMode = (typeof AUTH_MODES)[number];
// The roles of lib/auth/identity.ts (which may import this folder, not the other way round).
const ROLES = ['viewer', 'operator', 'admin'] as const;

/** Every setting the processes read, validated once; defaults suit the embedded demo. */
const positiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback);
const nonNegativeInt = (fallback: number) => z.coerce.number().int().nonnegative().default(fallback);
const optionalText = z
  .string()
  .optional()
  .transform((value) => (value && value.trim() !== '' ? value : undefined));

// libpq's connection URI, host lists included (postgres://u@h1:5432,h2:5432/db?target_session_attrs=…),
// which WHATWG URL refuses; the parser's message says what is wrong.
const connectionUrl = optionalText.superRefine((value, context) => {
  if (value === undefined) return;
  try {
    parseConnectionUrl(value);
  } catch (error) {
    if (!(error instanceof ConnectionUrlError)) throw error;
    context.addIssue({ code: 'custom', message: error.message });
  }
});

// `admin=frontier-admins,operator=frontier-ops`: a role per group; a role may be named again.
const roleGroups = optionalText.transform((value, context) => {
  const mapping: Array<{ role: (typeof ROLES)[number]; group: string }> = [];
  for (const entry of (value ?? '')
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean)) {
    const equals = entry.indexOf('=');
    const role = entry.slice(0, equals).trim();
    const group = entry.slice(equals + 1).trim();
    if (equals < 0 || !group || !(ROLES as readonly string[]).includes(role)) {
      context.addIssue({
        code: 'custom',
        message: `not ROLE=GROUP with a role of ${ROLES.join('|')}: ${JSON.stringify(entry)}`,
      });
      return z.NEVER;
    }
    mapping.push({ role: role as (typeof ROLES)[number], group });
  }
  return mapping;
});

export const envSchema = z.object({
  DATABASE_URL: connectionUrl,
  // The dashboard's reads, when they should go to a replica (docs/RELIABILITY.md); what writes uses DATABASE_URL.
  DATABASE_READ_URL: connectionUrl,
  // The dashboard's actions (docs/ACTIONS.md): the write role of db/roles/actions.sql; else DATABASE_URL.
  DATABASE_WRITE_URL: connectionUrl,
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  HOST: z.string().default('127.0.0.1'),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),

  PG_POOL_MAX: positiveInt(10),
  PG_STATEMENT_TIMEOUT_MS: positiveInt(5_000),
  PG_CONNECT_TIMEOUT_MS: positiveInt(3_000),
  // The health snapshot's reads of every pair (lib/api/snapshot-thread.ts): 100,000 pairs on a
  // busy machine take longer than PG_STATEMENT_TIMEOUT_MS, which is right for everything else.
  SNAPSHOT_STATEMENT_TIMEOUT_MS: positiveInt(60_000),
  // 'on': the snapshot is built in a worker thread, off the event loop; 'off': in process.
  SNAPSHOT_THREAD: z.enum(['on', 'off']).default('on'),

  WORKER_INTERVAL_MS: positiveInt(15_000),
  WORKER_MAX_WINDOWS: positiveInt(1_000),
  WORKER_GRACE_MINUTES: nonNegativeInt(1),
  WORKER_CONCURRENCY: positiveInt(4),
  WORKER_RETENTION_DAYS: positiveInt(7),
  // A catch-up of WORKER_MAX_WINDOWS daily windows reads up to 1.4 M source rows: longer than
  // the dashboard's PG_STATEMENT_TIMEOUT_MS is right for. See docs/WORKER.md for the rest.
  WORKER_STATEMENT_TIMEOUT_MS: positiveInt(60_000),
  WORKER_PRUNE_EVERY_PASSES: positiveInt(4),
  WORKER_PRUNE_BATCH_SIZE: positiveInt(5_000),
  WORKER_PRUNE_MAX_BATCHES: positiveInt(10),
  WORKER_BACKOFF_MAX_MS: positiveInt(30_000),
  // The late-data audit (docs/AUDIT.md): each pair's last 24 h re-checked every 15 min, at most
  // 500 pairs after each pass (0 turns it off).
  WORKER_AUDIT_LOOKBACK_HOURS: positiveInt(24),
  WORKER_AUDIT_INTERVAL_MS: positiveInt(900_000),
  WORKER_AUDIT_PAIRS_PER_PASS: nonNegativeInt(500),
  // npm start's demo runs the worker with few windows per run so that one symbol with a long
  // history stays visibly behind, catching up, for half an hour.
  DEMO_WORKER_MAX_WINDOWS: positiveInt(25),

  HEALTH_STALL_MINUTES: positiveInt(60),
  HEALTH_LAG_BARS: positiveInt(3),
  HEALTH_SOURCE_STALE_MINUTES: positiveInt(15),
  HEALTH_MIN_BARS_PER_RUN: z.coerce.number().nonnegative().default(0.01),
  // Data read from a standby this many seconds behind the primary is stale (docs/RELIABILITY.md).
  HEALTH_REPLICA_STALE_SECONDS: positiveInt(60),

  // Pairs in a problem state that get per-pair series in /api/metrics (docs/ALERTS.md); 0 = counts only.
  METRICS_PAIR_SERIES_CAP: nonNegativeInt(500),
  // State history, incidents and retry backoff: docs/HISTORY.md.
  HISTORY_WRITER: z.enum(['auto', 'on', 'off']).default('auto'),
  HISTORY_INTERVAL_MS: z.coerce.number().int().min(250).max(15_000).default(15_000),
  HISTORY_SETTLE_SECONDS: nonNegativeInt(30),
  HISTORY_FLAP_WINDOW_SECONDS: positiveInt(600),
  HISTORY_FLAP_CHANGES: positiveInt(4),
  HISTORY_RETENTION_DAYS: positiveInt(90),
  INCIDENT_GLOBAL_SYMBOLS: z.coerce.number().int().min(2).default(20),
  RETRY_BACKOFF_BASE_SECONDS: z.coerce.number().positive().default(30),
  RETRY_BACKOFF_CAP_SECONDS: z.coerce.number().positive().default(900),

  // Identity and roles (README "Authentication and roles"). AUTH_MODE's default keeps older
  // configurations as they were: basic when BASIC_AUTH_USER is set, else none.
  AUTH_MODE: z.enum(AUTH_MODES).optional(),
  BASIC_AUTH_USER: optionalText,
  BASIC_AUTH_PASSWORD: optionalText,
  BASIC_AUTH_USERS_FILE: optionalText,
  SESSION_SECRET: optionalText.refine((value) => value === undefined || value.length >= 32, {
    message: 'must be at least 32 characters (openssl rand -base64 48)',
  }),
  SESSION_MAX_AGE_SECONDS: z.coerce.number().int().min(60).max(2_592_000).default(28_800),
  OIDC_ISSUER: optionalText.refine((value) => value === undefined || /^https?:\/\/[^\s]+$/.test(value), {
    message: 'must be an http(s) URL',
  }),
  OIDC_CLIENT_ID: optionalText,
  OIDC_CLIENT_SECRET: optionalText,
  OIDC_SCOPES: z.string().default('openid profile email'),
  OIDC_GROUPS_CLAIM: z.string().min(1).default('groups'),
  OIDC_ROLE_GROUPS: roleGroups,
  // Where the provider sends the browser back; by default this server's /api/auth/callback.
  OIDC_REDIRECT_URL: optionalText,
  PROXY_USER_HEADER: z.string().toLowerCase().default('x-forwarded-user'),
  PROXY_GROUPS_HEADER: z.string().toLowerCase().default('x-forwarded-groups'),
  PROXY_SECRET: optionalText,
  PROXY_TRUSTED_ADDRESSES: optionalText.transform((value) =>
    (value ?? '')
      .split(',')
      .map((address) => address.trim())
      .filter(Boolean),
  ),
  PROXY_ROLE_GROUPS: roleGroups,
  KIOSK_TOKEN: optionalText,
  // An ack also silences its alerts in this Alertmanager (docs/ACTIONS.md "The silence").
  ALERTMANAGER_URL: optionalText.refine((value) => value === undefined || /^https?:\/\/[^\s]+$/.test(value), {
    message: 'must be an http(s) URL',
  }),
  // This dashboard's address as people open it: the link back in a silence's comment.
  DASHBOARD_URL: optionalText.refine((value) => value === undefined || /^https?:\/\/[^\s]+$/.test(value), {
    message: 'must be an http(s) URL',
  }),
  FRAME_ANCESTORS: z.string().default("'none'"),
});

export type Env = z.infer<typeof envSchema> & { AUTH_MODE: AuthMode };

let cached: Env | undefined;

/** The validated configuration; throws a readable error naming every bad variable. */
export function env(): Env {
  if (!cached) cached = parseEnv(process.env);
  return cached;
}

export function parseEnv(source: Record<string, string | undefined>): Env {
  const parsed = envSchema.safeParse(source);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new Error(`Invalid configuration:\n  ${problems.join('\n  ')}`);
  }
  const value = {
    ...parsed.data,
    AUTH_MODE: parsed.data.AUTH_MODE ?? (parsed.data.BASIC_AUTH_USER ? 'basic' : 'none'),
  };
  if (Boolean(value.BASIC_AUTH_USER) !== Boolean(value.BASIC_AUTH_PASSWORD)) {
    throw new Error('Invalid configuration:\n  BASIC_AUTH_USER and BASIC_AUTH_PASSWORD must be set together');
  }
  const authProblem = authModeProblem(value);
  if (authProblem) throw new Error(`Invalid configuration:\n  ${authProblem}`);
  if (value.RETRY_BACKOFF_CAP_SECONDS < value.RETRY_BACKOFF_BASE_SECONDS) {
    throw new Error('Invalid configuration:\n  RETRY_BACKOFF_CAP_SECONDS must be >= RETRY_BACKOFF_BASE_SECONDS');
  }
  return value;
}

/** What AUTH_MODE needs that is missing, or undefined. */
function authModeProblem(value: Env): string | undefined {
  switch (value.AUTH_MODE) {
    case 'basic':
      return value.BASIC_AUTH_USER || value.BASIC_AUTH_USERS_FILE
        ? undefined
        : 'AUTH_MODE=basic needs BASIC_AUTH_USER and BASIC_AUTH_PASSWORD, or BASIC_AUTH_USERS_FILE';
    case 'oidc': {
      const missing = (['OIDC_ISSUER', 'OIDC_CLIENT_ID', 'SESSION_SECRET'] as const).filter((name) => !value[name]);
      return missing.length ? `AUTH_MODE=oidc needs ${missing.join(', ')}` : undefined;
    }
    case 'proxy':
      return value.PROXY_SECRET || value.PROXY_TRUSTED_ADDRESSES.length
        ? undefined
        : 'AUTH_MODE=proxy needs PROXY_SECRET or PROXY_TRUSTED_ADDRESSES (else anyone could send the user header)';
    case 'none':
      return undefined;
  }
}

/** For tests and commands that change process.env after start. */
export function resetEnvCache(): void {
  cached = undefined;
}
