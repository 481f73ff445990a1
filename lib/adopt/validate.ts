// Decides whether each legacy table can serve, before anything is changed. Every refusal names
// the table, the column and what the DBA can do about it.
import type pg from 'pg';
import { firstDuplicate, legacyTimeframes, type DatabaseInfo, type TableInfo } from './inspect';
import { accepts, FAMILY_TYPE, STANDARD_TIMEFRAMES, TABLE_SPECS, type TableSpec } from './spec';

export interface Refusal {
  table: string;
  column?: string;
  message: string;
}

/**
 * The unique index adoption can use for the spec's key, if the table has one. For bars_1m the
 * column order matters (the frontier look-up reads (symbol, ts) backwards); for the others any
 * order serves ON CONFLICT, which infers the index from the set of columns.
 */
export function usableKeyIndex(table: TableInfo, spec: TableSpec): string | undefined {
  const key = spec.uniqueKey;
  return table.indexes.find(
    (i) =>
      i.unique &&
      i.usable &&
      i.columns.length === key.length &&
      (spec.keyOrderMatters ? i.columns.every((c, n) => c === key[n]) : key.every((c) => i.columns.includes(c))),
  )?.name;
}

function columnRefusals(spec: TableSpec, table: TableInfo): Refusal[] {
  const refusals: Refusal[] = [];
  if (table.kind !== 'r' && table.kind !== 'p') {
    return [
      {
        table: spec.name,
        message: `${spec.name} is not a table (relkind ${table.kind}); adoption needs a table or a partitioned table of that name. Fix: rename it (ALTER … RENAME TO ${spec.name}_legacy) or point DATABASE_URL at the right schema`,
      },
    ];
  }
  const byName = new Map(table.columns.map((c) => [c.name, c]));
  for (const column of spec.required) {
    const found = byName.get(column.name);
    const need = FAMILY_TYPE[column.family];
    if (!found) {
      refusals.push({
        table: spec.name,
        column: column.name,
        message: `${spec.name}.${column.name} is missing; adoption needs a ${need} column ${column.name}. Fix: add or rename it (ALTER TABLE ${spec.name} RENAME COLUMN … TO ${column.name})`,
      });
    } else if (!accepts(column.family, found.type)) {
      refusals.push({
        table: spec.name,
        column: column.name,
        message: typeFix(spec.name, column.name, found.type, need),
      });
    }
  }
  for (const column of spec.addable) {
    const found = byName.get(column.name);
    if (found && !accepts(column.family, found.type)) {
      refusals.push({
        table: spec.name,
        column: column.name,
        message: typeFix(spec.name, column.name, found.type, column.definition.split(' ')[0]!),
      });
    }
  }
  return refusals;
}

function typeFix(table: string, column: string, actual: string, need: string): string {
  const using =
    need === 'timestamptz' && actual.startsWith('timestamp without')
      ? `${column} AT TIME ZONE 'UTC'`
      : `${column}::${need}`;
  const rewrite =
    table === 'bars_1m' ? ' (this rewrites bars_1m under an exclusive lock: plan a maintenance window)' : '';
  const why = actual.startsWith('timestamp without')
    ? ' (a timestamp without time zone means what the session time zone says, and windows would move with it)'
    : '';
  return `${table}.${column} is ${actual}; adoption needs ${need}${why}. Fix: ALTER TABLE ${table} ALTER COLUMN ${column} TYPE ${need} USING ${using}${rewrite}`;
}

function keyRefusal(spec: TableSpec, table: TableInfo): Refusal | undefined {
  if (!spec.uniqueKey.length || usableKeyIndex(table, spec)) return undefined;
  const key = spec.uniqueKey.join(', ');
  if (spec.name === 'bars_1m') {
    const fix =
      table.kind === 'p'
        ? `create a unique index on (${key}) on each partition with CREATE UNIQUE INDEX CONCURRENTLY, then CREATE UNIQUE INDEX bars_1m_symbol_ts ON ONLY bars_1m (${key}) and ALTER INDEX bars_1m_symbol_ts ATTACH PARTITION each one`
        : `CREATE UNIQUE INDEX CONCURRENTLY bars_1m_symbol_ts ON bars_1m (${key})`;
    return {
      table: spec.name,
      column: key,
      message: `bars_1m has no primary key or unique index on exactly (${key}); adoption needs one (the frontier look-ups and the catch-up read through it). Fix: ${fix}`,
    };
  }
  if (!spec.mayBuildKey) {
    return {
      table: spec.name,
      column: key,
      message: `${spec.name} has no unique index on (${key}); adoption needs one. Fix: CREATE UNIQUE INDEX ON ${spec.name} (${key})`,
    };
  }
  if (
    table.kind === 'p' &&
    (table.multiLevel || !table.partitionColumns || !table.partitionColumns.every((c) => spec.uniqueKey.includes(c)))
  ) {
    // PostgreSQL builds a unique index on a partitioned table only when it contains the
    // partition key's columns; sub-partitions would need the recipe one level further down.
    const why = table.multiLevel
      ? 'has sub-partitions'
      : `is partitioned by ${table.partitionColumns ? `(${table.partitionColumns.join(', ')})` : 'an expression'}, not by columns of the key`;
    return {
      table: spec.name,
      column: key,
      message: `${spec.name} has no unique index on (${key}) and ${why}, so adoption cannot build one. Fix: create a unique index on (${key}) on each partition CONCURRENTLY, then CREATE UNIQUE INDEX ON ONLY ${spec.name} (${key}) and ALTER INDEX … ATTACH PARTITION each one (or repartition by ts_utc)`,
    };
  }
  return undefined;
}

export async function validateDatabase(
  client: pg.ClientBase,
  info: DatabaseInfo,
  ownObjects: string[],
): Promise<Refusal[]> {
  const refusals: Refusal[] = [];
  for (const spec of TABLE_SPECS) {
    const table = info.tables.get(spec.name);
    if (!table) continue;
    const columns = columnRefusals(spec, table);
    refusals.push(...columns);
    if (table.kind !== 'r' && table.kind !== 'p') continue;
    // The key is checked even when a column was refused: the DBA gets the whole list at once.
    const key = keyRefusal(spec, table);
    if (key) refusals.push(key);
    if (columns.length || key) continue;
    if (spec.mayBuildKey && !usableKeyIndex(table, spec)) {
      const duplicate = await firstDuplicate(client, spec.name, spec.uniqueKey);
      if (duplicate) {
        refusals.push({
          table: spec.name,
          column: spec.uniqueKey.join(', '),
          message: `${spec.name} has more than one row for (${spec.uniqueKey.join(', ')}) = ${duplicate}; adoption needs them unique to build its index. Fix: delete the duplicates, keeping one row per key`,
        });
      }
    }
  }
  if (info.serverVersion < 110000) {
    refusals.push({
      table: '(server)',
      message: `PostgreSQL ${info.serverVersion} is too old: adoption needs PostgreSQL 11 or later (columns with defaults added without a rewrite)`,
    });
  }
  for (const name of ownObjects) {
    const kind = info.existingObjects.get(name);
    if (kind && !info.tables.has(name)) {
      refusals.push({
        table: name,
        message: `${kind} already exists and this project installs its own ${name}. Fix: rename the old one (e.g. ALTER ${kind.startsWith('function') ? 'FUNCTION ' + kind.slice('function '.length) : kind.toUpperCase() + ' ' + name} RENAME TO ${name}_legacy) once nothing calls it`,
      });
    }
  }
  // Timeframes are read only from tables whose columns passed (a query on a missing column would fail).
  const readable = (name: string) => info.tables.has(name) && !refusals.some((r) => r.table === name);
  if (readable('data_agg_state') && (!info.tables.has('agg_timeframes') || readable('agg_timeframes'))) {
    refusals.push(...(await timeframeRefusals(client, info)));
  }
  return refusals;
}

async function timeframeRefusals(client: pg.ClientBase, info: DatabaseInfo): Promise<Refusal[]> {
  const { used, registered } = await legacyTimeframes(client, info);
  const refusals: Refusal[] = [];
  const standard = new Map(STANDARD_TIMEFRAMES);
  for (const [tf, step] of registered) {
    const expected = standard.get(tf);
    if (expected !== undefined && expected !== step) {
      refusals.push({
        table: 'agg_timeframes',
        column: 'step',
        message: `agg_timeframes has ${tf} = ${step}; this project's ${tf} is ${expected}. Fix: UPDATE agg_timeframes SET step = interval '${expected}' WHERE timeframe = '${tf}' (if that is what ${tf} meant)`,
      });
    }
    if (!/^\d{2,}:\d\d:00$/.test(step) || step === '00:00:00') {
      refusals.push({
        table: 'agg_timeframes',
        column: 'step',
        message: `agg_timeframes has ${tf} = ${step}; steps must be whole minutes in hours/minutes (never days or months, which follow the time zone). Fix: UPDATE agg_timeframes SET step = … WHERE timeframe = '${tf}'`,
      });
    }
  }
  const unknown = used.filter((tf) => !standard.has(tf) && !registered.has(tf));
  if (unknown.length) {
    const list = unknown.map((tf) => `'${tf}'`).join(', ');
    refusals.push({
      table: 'data_agg_state',
      column: 'timeframe',
      message:
        `data_agg_state has timeframe(s) ${list} that this project does not know (it knows ${[...standard.keys()].join(', ')}), so their window size would be a guess. ` +
        `Fix: register them first — CREATE TABLE agg_timeframes (timeframe text PRIMARY KEY, step interval NOT NULL); INSERT INTO agg_timeframes VALUES (${unknown.map((tf) => `'${tf}', interval '…'`).join('), (')}); ` +
        `(adoption adds the standard six) — or DELETE FROM data_agg_state WHERE timeframe IN (${list})`,
    });
  }
  return refusals;
}

const INTEGER_TYPES = ['smallint', 'integer', 'bigint'];

/**
 * Not refusals: columns of bars_agg narrower than bars_1m's (an integer volume for fractional
 * source volumes, fewer decimals, float for numeric) make every write round, and the audit
 * would report those bars as drift for ever. Said before adoption; the DBA decides.
 */
export function typeWarnings(info: DatabaseInfo): string[] {
  const source = info.tables.get('bars_1m');
  const agg = info.tables.get('bars_agg');
  if (!source || !agg) return [];
  const warnings: string[] = [];
  for (const name of ['open', 'high', 'low', 'close', 'volume']) {
    const from = source.columns.find((c) => c.name === name)?.type;
    const to = agg.columns.find((c) => c.name === name)?.type;
    if (!from || !to || to === 'numeric' || to === from) continue;
    if (
      name === 'volume' &&
      INTEGER_TYPES.includes(from) &&
      INTEGER_TYPES.slice(INTEGER_TYPES.indexOf(from)).includes(to)
    )
      continue;
    warnings.push(
      `warning: bars_agg.${name} is ${to} but bars_1m.${name} is ${from}: what the catch-up writes is cast to ${to} (rounded), and the audit would report those bars as drift. ` +
        `To keep them exact: ALTER TABLE bars_agg ALTER COLUMN ${name} TYPE numeric (rewrites bars_agg)`,
    );
  }
  return warnings;
}
