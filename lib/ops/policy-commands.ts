import os from 'node:os';
import type pg from 'pg';
import { target } from './calendar-commands';
import { UsageError } from './errors';
import { formatTable } from './table';
import { DEFAULT_POLICY } from '../health/policy';
import { thresholdsFromConfig } from '../health/rules';
import { env } from '../server/env';
import { TIMEFRAME_SYNTAX } from '../shared/pair-key';
import type { HealthThresholds } from '../shared/types';

/** `npm run ops -- policy …`: health policies (sql/019, docs/HEALTH.md "Policies"). */
export type PolicyCommand =
  | { kind: 'policy'; action: 'list' }
  | { kind: 'policy'; action: 'remove'; policy: string }
  | { kind: 'policy'; action: 'check'; symbol: string; timeframe: string }
  | {
      kind: 'policy';
      action: 'set';
      policy: string;
      match: 'exact' | 'like';
      pattern: string;
      timeframe: string | null;
      thresholds: PolicyValues;
      note: string;
    };

interface PolicyValues {
  stallMinutes: number | null;
  lagBars: number | null;
  sourceStaleMinutes: number | null;
  minBarsPerRun: number | null;
}

export const POLICY_USAGE = `
  policy list                    health policies and the pairs each applies to
  policy set NAME SYMBOL | --like PATTERN [--timeframe TF] [--stall-minutes N] [--lag-bars N]
             [--source-stale-minutes N] [--min-bars-per-run X] [--note TEXT]
                                 create or replace a policy; a threshold left out is the
                                 default's (HEALTH_* settings)
  policy remove NAME             its pairs follow the next policy that matches, or the default
  policy check SYMBOL TF         which policy applies to the pair, and why`;

const NAME = /^[a-z0-9][a-z0-9_-]{0,62}$/;
const FLAGS: Record<string, keyof PolicyValues> = {
  '--stall-minutes': 'stallMinutes',
  '--lag-bars': 'lagBars',
  '--source-stale-minutes': 'sourceStaleMinutes',
  '--min-bars-per-run': 'minBarsPerRun',
};

function nameArg(value: string | undefined): string {
  if (!value) throw new UsageError('missing NAME (the policy, e.g. illiquid)');
  if (!NAME.test(value) || value === DEFAULT_POLICY)
    throw new UsageError(
      `not a policy name: ${JSON.stringify(value)} (lower-case letters, digits, - and _; "default" is the environment's)`,
    );
  return value;
}

function timeframeArg(value: string | undefined): string {
  if (!value || !TIMEFRAME_SYNTAX.test(value)) throw new UsageError(`not a timeframe: ${JSON.stringify(value ?? '')}`);
  return value;
}

function numberArg(flag: string, value: string | undefined): number {
  const whole = flag !== '--min-bars-per-run';
  const parsed = Number(value);
  if (value === undefined || value.trim() === '' || !Number.isFinite(parsed) || (whole && !Number.isInteger(parsed)))
    throw new UsageError(`${flag} needs ${whole ? 'a whole number' : 'a number'} (got ${JSON.stringify(value ?? '')})`);
  if (whole ? parsed <= 0 : parsed < 0)
    throw new UsageError(`${flag} must be ${whole ? 'greater than 0' : '0 or more'} (got ${value})`);
  return parsed;
}

function parseSet(rest: string[]): PolicyCommand {
  const [name, ...args] = rest;
  const policy = nameArg(name);
  const thresholds: PolicyValues = { stallMinutes: null, lagBars: null, sourceStaleMinutes: null, minBarsPerRun: null };
  let timeframe: string | null = null;
  let note = '';
  const what: string[] = [];
  for (let i = 0; i < args.length; i += 1) {
    const arg = args[i]!;
    const field = FLAGS[arg];
    if (field) thresholds[field] = numberArg(arg, args[++i]);
    else if (arg === '--timeframe') timeframe = timeframeArg(args[++i]);
    else if (arg === '--note') {
      const value = args[++i];
      if (value === undefined) throw new UsageError('--note needs a text');
      note = value;
    } else if (arg === '--like') what.push(arg, ...(args[i + 1] === undefined ? [] : [args[++i]!]));
    else if (arg.startsWith('--')) throw new UsageError(`unknown option: ${JSON.stringify(arg)}`);
    else what.push(arg);
  }
  if (Object.values(thresholds).every((value) => value === null))
    throw new UsageError(
      `policy set ${policy} sets no threshold: give at least one of ${Object.keys(FLAGS).join(', ')}`,
    );
  return { kind: 'policy', action: 'set', policy, ...target(what), timeframe, thresholds, note };
}

export function parsePolicyArgs(args: string[]): PolicyCommand {
  const [action, ...rest] = args;
  const noMore = (more: string[]) => {
    if (more.length > 0) throw new UsageError(`unexpected argument: ${JSON.stringify(more[0])}`);
  };
  switch (action) {
    case 'list':
      noMore(rest);
      return { kind: 'policy', action };
    case 'remove': {
      const [name, ...more] = rest;
      noMore(more);
      return { kind: 'policy', action, policy: nameArg(name) };
    }
    case 'check': {
      const [symbol, timeframe, ...more] = rest;
      noMore(more);
      const pair = target(symbol === undefined ? [] : [symbol]);
      return { kind: 'policy', action, symbol: pair.pattern, timeframe: timeframeArg(timeframe) };
    }
    case 'set':
      return parseSet(rest);
    case undefined:
      throw new UsageError('policy needs list, set, remove or check');
    default:
      throw new UsageError(`unknown policy command: ${JSON.stringify(action)}`);
  }
}

/** Who ran `npm run ops`: the operating-system user, an admin (whoever reaches the database). */
export function opsActor(): string {
  try {
    return os.userInfo().username;
  } catch {
    return process.env.USER ?? 'ops';
  }
}

export async function runPolicyCommand(
  client: pg.ClientBase,
  command: PolicyCommand,
  defaults: HealthThresholds = thresholdsFromConfig(env()),
): Promise<string[]> {
  switch (command.action) {
    case 'list':
      return listPolicies(client);
    case 'set':
      return setPolicy(client, command);
    case 'remove': {
      await client.query('SELECT policy_remove($1, $2, $3, $4)', [opsActor(), 'admin', 'ops', command.policy]);
      return [`removed policy ${command.policy}`];
    }
    case 'check':
      return checkPolicy(client, command.symbol, command.timeframe, defaults);
  }
}

async function setPolicy(client: pg.ClientBase, c: Extract<PolicyCommand, { action: 'set' }>): Promise<string[]> {
  const t = c.thresholds;
  const { rows } = await client.query<{ r: { created: boolean } }>(
    'SELECT policy_set($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) AS r',
    [
      opsActor(),
      'admin',
      'ops',
      c.policy,
      c.match,
      c.pattern,
      c.timeframe,
      t.stallMinutes,
      t.lagBars,
      t.sourceStaleMinutes,
      t.minBarsPerRun,
      c.note,
    ],
  );
  const target = `${c.match === 'like' ? `symbols like '${c.pattern}'` : c.pattern} on ${c.timeframe ?? 'every timeframe'}`;
  return [`${rows[0]!.r.created ? 'created' : 'replaced'} policy ${c.policy}: ${target}, ${describe(t)}`];
}

const THRESHOLD_WORDS: Array<[keyof PolicyValues, string, (n: number) => string]> = [
  ['stallMinutes', 'stalled after', (n) => `${n} min`],
  ['lagBars', 'lagging over', (n) => `${n} bar${n === 1 ? '' : 's'}`],
  ['sourceStaleMinutes', 'source stale after', (n) => `${n} min`],
  ['minBarsPerRun', 'inefficient under', (n) => `${n} bars per run`],
];

/** "stalled after 120 min, source stale after 240 min" (the thresholds the policy sets). */
function describe(values: PolicyValues, defaults?: HealthThresholds): string {
  return THRESHOLD_WORDS.flatMap(([key, words, unit]) => {
    const own = values[key];
    if (own !== null) return [`${words} ${unit(own)}`];
    return defaults ? [`${words} ${unit(defaults[key])} (default)`] : [];
  }).join(', ');
}

interface PolicyRow {
  policy: string;
  matched_by: string;
  pattern: string;
  timeframe: string | null;
  stall_minutes: number | null;
  lag_bars: number | null;
  source_stale_minutes: number | null;
  min_bars_per_run: number | null;
}

const valuesOf = (row: PolicyRow): PolicyValues => ({
  stallMinutes: row.stall_minutes,
  lagBars: row.lag_bars,
  sourceStaleMinutes: row.source_stale_minutes,
  minBarsPerRun: row.min_bars_per_run,
});

async function listPolicies(client: pg.ClientBase): Promise<string[]> {
  const { rows } = await client.query<Record<string, unknown>>(
    `SELECT p.policy, p.match, p.pattern, coalesce(p.timeframe, 'any') AS timeframe, p.stall_minutes, p.lag_bars,
            p.source_stale_minutes, p.min_bars_per_run,
            (SELECT count(*) FROM v_aggregation_frontier_health v WHERE v.health_policy = p.policy)::int AS pairs, p.note
       FROM health_policies p ORDER BY p.policy`,
  );
  if (rows.length === 0) return ['no health policies: every pair follows the default (HEALTH_* settings)'];
  return formatTable(rows, [
    ['policy', 'policy'],
    ['match', 'match'],
    ['pattern', 'symbol/pattern'],
    ['timeframe', 'tf'],
    ['stall_minutes', 'stall min'],
    ['lag_bars', 'lag bars'],
    ['source_stale_minutes', 'src stale min'],
    ['min_bars_per_run', 'min bars/run'],
    ['pairs', 'pairs'],
    ['note', 'note'],
  ]);
}

/** Why a candidate lost to the winner: the first rule of the order that tells them apart. */
function lostBecause(winner: PolicyRow, loser: PolicyRow): string {
  if (winner.matched_by === 'exact' && loser.matched_by === 'like') return 'an exact name beats a pattern';
  const literal = (row: PolicyRow) => row.pattern.replace(/[%_]/g, '').length;
  if (literal(winner) !== literal(loser))
    return `fewer literal characters (${literal(loser)} against ${literal(winner)})`;
  if ((winner.timeframe === null) !== (loser.timeframe === null))
    return 'a timeframe-specific policy beats any timeframe';
  return 'the same rank: the name first in byte order wins';
}

const selector = (row: PolicyRow) =>
  `${row.matched_by === 'exact' ? `exact name ${row.pattern}` : `pattern '${row.pattern}'`}, ${row.timeframe ?? 'any timeframe'}`;

async function checkPolicy(
  client: pg.ClientBase,
  symbol: string,
  timeframe: string,
  defaults: HealthThresholds,
): Promise<string[]> {
  const { rows } = await client.query<PolicyRow>('SELECT * FROM health_policy_candidates($1, $2) ORDER BY rank', [
    symbol,
    timeframe,
  ]);
  const [winner, ...others] = rows;
  if (!winner) {
    const all = THRESHOLD_WORDS.map(([key, words, unit]) => `${words} ${unit(defaults[key])}`).join(', ');
    return [`${symbol}/${timeframe}: policy ${DEFAULT_POLICY} (no policy matches) — ${all}`];
  }
  return [
    `${symbol}/${timeframe}: policy ${winner.policy} (${selector(winner)}) — ${describe(valuesOf(winner), defaults)}`,
    ...others.map((row) => `  also matches: ${row.policy} (${selector(row)}), not used: ${lostBecause(winner, row)}`),
  ];
}
