// The adoption plan: every statement adoption would run, in order, so that --dry-run can print
// exactly what the real run executes.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { DatabaseInfo, TableInfo } from './inspect';
import { BARS_AGG, DATA_AGG_STATE, STANDARD_TIMEFRAMES, TABLE_SPECS } from './spec';
import { usableKeyIndex } from './validate';

/** The files a legacy database is baselined at: 001–006 describe the pipeline it already runs. */
export const BASELINE_FILES = [
  '001_schema.sql',
  '002_aggregation_window.sql',
  '003_aggregation_state.sql',
  '004_fix_aggregator_cursor.sql',
  '005_reset_aggregator_cursors.sql',
  '006_aggregation_monitoring_view.sql',
];

// 005 ends by running the reset once. Adoption must not reset anyone's cursors silently:
// the legacy NULL/AHEAD cursors stay visible until the operator runs the reset.
const RESET_ON_INSTALL = /^SELECT count\(\*\) AS cursors_reset FROM reset_aggregation_cursors\(\);\s*$/m;

export interface Step {
  /** What the step does, in words, for the dry run. */
  description: string;
  sql: string;
}

export interface AdoptionPlan {
  tablesFound: string[];
  /** CREATE INDEX CONCURRENTLY steps: outside any transaction, without blocking writers. */
  concurrent: Step[];
  /** Everything else, in one transaction: all of it or none of it. */
  transaction: Step[];
  /** Functions and views installed from these files (recorded as applied afterwards). */
  installs: { file: string; sql: string }[];
}

/** Statements of 001, keyed by the table they create or fill, so a missing table is made exactly as 001 makes it. */
function schemaStatements(sqlDir: string): { table: string; sql: string }[] {
  const text = readFileSync(path.join(sqlDir, '001_schema.sql'), 'utf8');
  return text
    .split(/;[ \t]*(?:--[^\n]*)?\n/)
    .map((chunk) =>
      chunk
        .split('\n')
        .filter((line) => !/^\s*--/.test(line))
        .join('\n')
        .trim(),
    )
    .filter(Boolean)
    .map((sql) => {
      const table =
        /^CREATE TABLE (\w+)/.exec(sql)?.[1] ??
        /^INSERT INTO (\w+)/.exec(sql)?.[1] ??
        /^CREATE INDEX \w+ ON (\w+)/.exec(sql)?.[1];
      if (!table) throw new Error(`001_schema.sql: cannot tell which table this statement is for: ${sql.slice(0, 60)}`);
      return { table, sql: sql + ';' };
    });
}

/** The SQL of 002–006 as adoption installs it (005 without its one-off reset). */
export function installSql(sqlDir: string): { file: string; sql: string }[] {
  return BASELINE_FILES.slice(1).map((file) => {
    let sql = readFileSync(path.join(sqlDir, file), 'utf8');
    if (file === '005_reset_aggregator_cursors.sql') {
      if (!RESET_ON_INSTALL.test(sql))
        throw new Error(`${file}: its final reset statement was not found; adoption cannot install it safely`);
      sql = sql.replace(RESET_ON_INSTALL, '-- (adoption: the one-off reset is left to the operator)\n');
    }
    return { file, sql };
  });
}

/**
 * Names of the functions and views this project installs: those 002–006 create and those of the
 * definition files (adoption refuses when others of those names exist, before changing anything).
 */
export function ownObjectNames(sqlDir: string, definitionSql: string[]): string[] {
  const names = [...installSql(sqlDir).map(({ sql }) => sql), ...definitionSql].flatMap((sql) =>
    [...sql.matchAll(/^CREATE (?:OR REPLACE )?(?:FUNCTION|VIEW) (\w+)/gm)].map((m) => m[1]!),
  );
  return [...new Set(names)];
}

export function planAdoption(info: DatabaseInfo, sqlDir: string): AdoptionPlan {
  const concurrent: Step[] = [];
  const transaction: Step[] = [];
  const schema = schemaStatements(sqlDir);
  for (const spec of TABLE_SPECS) {
    const table = info.tables.get(spec.name);
    if (!table) {
      for (const statement of schema.filter((s) => s.table === spec.name)) {
        const what = statement.sql.startsWith('CREATE TABLE')
          ? 'create it as 001 does'
          : statement.sql.startsWith('INSERT')
            ? 'seed it as 001 does'
            : `its index ${/^CREATE INDEX (\w+)/.exec(statement.sql)?.[1]}`;
        transaction.push({ description: `${spec.name} is missing: ${what}`, sql: statement.sql });
      }
      continue;
    }
    const have = new Set(table.columns.map((c) => c.name));
    for (const column of spec.addable.filter((c) => !have.has(c.name))) {
      transaction.push({
        description: `add ${spec.name}.${column.name} (catalog only, no rewrite)`,
        sql: `ALTER TABLE ${spec.name} ADD COLUMN ${column.name} ${column.definition};`,
      });
      if (column.laterDefault) {
        transaction.push({
          description: `new ${spec.name} rows get ${column.name} = ${column.laterDefault}; existing rows keep NULL`,
          sql: `ALTER TABLE ${spec.name} ALTER COLUMN ${column.name} SET DEFAULT ${column.laterDefault};`,
        });
      }
    }
  }
  const agg = info.tables.get('bars_agg');
  if (agg && !usableKeyIndex(agg, BARS_AGG)) {
    const { concurrent: build, transaction: attach } = aggregateKeySteps(agg);
    concurrent.push(...build);
    transaction.push(...attach);
  }
  const runs = info.tables.get('data_agg_runs');
  if (runs) {
    for (const statement of schema.filter((s) => s.table === 'data_agg_runs' && s.sql.startsWith('CREATE INDEX'))) {
      const name = /^CREATE INDEX (\w+)/.exec(statement.sql)![1]!;
      if (runs.indexes.some((i) => i.name === name)) continue;
      concurrent.push({
        description: `data_agg_runs: the run-history index ${name}`,
        sql: statement.sql.replace(/^CREATE INDEX (\w+)/, 'CREATE INDEX CONCURRENTLY IF NOT EXISTS $1'),
      });
    }
  }
  const state = info.tables.get('data_agg_state');
  if (state && !usableKeyIndex(state, DATA_AGG_STATE)) {
    // One row per pair (tens of thousands at most): built in the transaction in milliseconds.
    transaction.push({
      description: 'data_agg_state has no unique key per pair: add it',
      sql: `CREATE UNIQUE INDEX data_agg_state_pair ON data_agg_state (${DATA_AGG_STATE.uniqueKey.join(', ')});`,
    });
  }
  if (info.tables.has('agg_timeframes')) {
    transaction.push({
      description: 'agg_timeframes exists: add the standard timeframes it lacks',
      sql: `INSERT INTO agg_timeframes (timeframe, step) VALUES ${STANDARD_TIMEFRAMES.map(([tf, step]) => `('${tf}', interval '${step}')`).join(', ')} ON CONFLICT (timeframe) DO NOTHING;`,
    });
  }
  return { tablesFound: [...info.tables.keys()], concurrent, transaction, installs: installSql(sqlDir) };
}

const AGG_KEY = 'bars_agg_symbol_tf_ts';

/**
 * The unique key of bars_agg that the catch-up's ON CONFLICT needs. On a plain table: one
 * CREATE UNIQUE INDEX CONCURRENTLY. On a partitioned one (CONCURRENTLY is not allowed on the
 * parent): a CONCURRENTLY-built index on each partition, then, in the transaction, the
 * parent's index ON ONLY (catalog only) with every partition's attached — it becomes valid
 * when the last one is.
 */
function aggregateKeySteps(agg: TableInfo): { concurrent: Step[]; transaction: Step[] } {
  const columns = BARS_AGG.uniqueKey.join(', ');
  const concurrent: Step[] = [];
  const leftover = (indexes: TableInfo['indexes'], name: string) => indexes.some((i) => i.name === name && !i.usable);
  if (agg.kind !== 'p') {
    if (leftover(agg.indexes, AGG_KEY)) {
      concurrent.push({
        description: `an earlier adoption was interrupted while building ${AGG_KEY}: drop the invalid index it left`,
        sql: `DROP INDEX CONCURRENTLY IF EXISTS ${AGG_KEY};`,
      });
    }
    concurrent.push({
      description: "bars_agg has no unique key for the catch-up's upsert: build it without blocking writers",
      sql: `CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS ${AGG_KEY} ON bars_agg (${columns});`,
    });
    return { concurrent, transaction: [] };
  }
  const transaction: Step[] = [
    {
      description: "the partitioned bars_agg's key: the parent's index, catalog only",
      sql: `CREATE UNIQUE INDEX ${AGG_KEY} ON ONLY bars_agg (${columns});`,
    },
  ];
  for (const leaf of agg.leaves) {
    const existing = leaf.indexes.find((i) => i.unique && i.usable && i.columns.join(', ') === columns)?.name;
    const name = existing ?? `bars_agg_p${leaf.oid}_key`;
    if (!existing) {
      if (leftover(leaf.indexes, name)) {
        concurrent.push({
          description: `an earlier adoption was interrupted while building ${name}: drop the invalid index it left`,
          sql: `DROP INDEX CONCURRENTLY IF EXISTS ${name};`,
        });
      }
      concurrent.push({
        description: `bars_agg partition ${leaf.name}: its part of the key, without blocking writers`,
        sql: `CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS ${name} ON ${leaf.name} (${columns});`,
      });
    }
    transaction.push({
      description: `attach ${leaf.name}'s index to the key`,
      sql: `ALTER INDEX ${AGG_KEY} ATTACH PARTITION ${name};`,
    });
  }
  return { concurrent, transaction };
}
