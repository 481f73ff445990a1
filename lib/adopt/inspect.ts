// Reads what the catalog says about the pipeline tables of a database about to be adopted.
// Only catalog reads and small SELECTs: inspecting never changes anything.
import type pg from 'pg';
import { TABLE_SPECS } from './spec';

export interface ColumnInfo {
  name: string;
  type: string;
  notNull: boolean;
}

export interface IndexInfo {
  name: string;
  columns: string[];
  unique: boolean;
  /** Usable by ON CONFLICT and by look-ups: valid, not partial, plain columns. */
  usable: boolean;
}

export interface TableInfo {
  name: string;
  /** r = table, p = partitioned table; anything else cannot be adopted. */
  kind: string;
  columns: ColumnInfo[];
  indexes: IndexInfo[];
  partitions: string[];
  /** Leaf partitions with their indexes (a key is built on each before the parent's). */
  leaves: { name: string; oid: number; indexes: IndexInfo[] }[];
  /** Partitions that are partitioned themselves (adoption builds no key across those). */
  multiLevel: boolean;
  /** Columns of the partition key; null when it has an expression (or the table is not partitioned). */
  partitionColumns: string[] | null;
  /** Approximate rows (pg_class.reltuples summed over partitions); -1 when never analyzed. */
  estimatedRows: number;
}

export interface DatabaseInfo {
  serverVersion: number;
  /** postgres-migrations' table: its presence means this project migrated the database before. */
  hasMigrationsTable: boolean;
  /** Pipeline tables found, by name (resolved through the search_path, as the functions will be). */
  tables: Map<string, TableInfo>;
  /** Functions and views of this project's names that already exist (name → kind). */
  existingObjects: Map<string, string>;
}

export async function inspectDatabase(client: pg.ClientBase, objectNames: string[]): Promise<DatabaseInfo> {
  const version = await client.query<{ v: string }>(`SELECT current_setting('server_version_num') AS v`);
  const migrations = await client.query<{ exists: boolean }>(
    // The same test postgres-migrations makes before deciding a database is new.
    `SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_class WHERE relname = 'migrations' AND relkind = 'r') AS exists`,
  );
  if (migrations.rows[0]!.exists) await assertOwnMigrationsTable(client);
  const tables = new Map<string, TableInfo>();
  for (const spec of TABLE_SPECS) {
    const info = await inspectTable(client, spec.name);
    if (info) tables.set(spec.name, info);
  }
  const objects = await client.query<{ name: string; kind: string }>(
    `SELECT p.proname AS name, 'function ' || p.oid::regprocedure::text AS kind
       FROM pg_proc p WHERE p.pronamespace = current_schema()::regnamespace AND p.proname = ANY($1)
     UNION ALL
     SELECT c.relname, CASE c.relkind WHEN 'v' THEN 'view' WHEN 'm' THEN 'materialized view' ELSE 'relation' END
       FROM pg_class c WHERE c.relnamespace = current_schema()::regnamespace AND c.relname = ANY($1)`,
    [objectNames],
  );
  return {
    serverVersion: Number(version.rows[0]!.v),
    hasMigrationsTable: migrations.rows[0]!.exists,
    tables,
    existingObjects: new Map(objects.rows.map((row) => [row.name, row.kind])),
  };
}

async function inspectTable(client: pg.ClientBase, name: string): Promise<TableInfo | undefined> {
  const found = await client.query<{ oid: number; kind: string }>(
    `SELECT c.oid, c.relkind AS kind FROM pg_class c WHERE c.oid = to_regclass($1)`,
    [name],
  );
  const table = found.rows[0];
  if (!table) return undefined;
  const columns = await client.query<ColumnInfo>(
    `SELECT attname AS name, format_type(atttypid, atttypmod) AS type, attnotnull AS "notNull"
       FROM pg_attribute WHERE attrelid = $1 AND attnum > 0 AND NOT attisdropped ORDER BY attnum`,
    [table.oid],
  );
  const indexes = await indexesOf(client, table.oid);
  const partitions = await client.query<{ name: string; oid: number; rows: number; leaf: boolean }>(
    `SELECT c.oid::regclass::text AS name, c.oid, c.reltuples::float8 AS rows, t.isleaf AS leaf
       FROM pg_partition_tree($1::regclass) t JOIN pg_class c ON c.oid = t.relid
      WHERE t.relid <> $1::regclass ORDER BY 1`,
    [table.oid],
  );
  const leaves = [];
  for (const leaf of partitions.rows.filter((p) => p.leaf))
    leaves.push({ name: leaf.name, oid: leaf.oid, indexes: await indexesOf(client, leaf.oid) });
  const partitionKey = await client.query<{ columns: string[] | null }>(
    `SELECT CASE WHEN 0 = ANY (p.partattrs::int2[]) THEN NULL ELSE
              array(SELECT a.attname FROM unnest(p.partattrs::int2[]) k(attnum) JOIN pg_attribute a ON a.attrelid = p.partrelid AND a.attnum = k.attnum)::text[] END AS columns
       FROM pg_partitioned_table p WHERE p.partrelid = $1`,
    [table.oid],
  );
  const own = await client.query<{ rows: number }>(`SELECT reltuples::float8 AS rows FROM pg_class WHERE oid = $1`, [
    table.oid,
  ]);
  const leafRows = partitions.rows.filter((p) => p.leaf);
  const estimatedRows =
    table.kind !== 'p'
      ? own.rows[0]!.rows
      : leafRows.some((p) => p.rows < 0)
        ? -1
        : leafRows.reduce((sum, p) => sum + p.rows, 0);
  return {
    name,
    kind: table.kind,
    columns: columns.rows,
    indexes,
    partitions: leafRows.map((p) => p.name),
    leaves,
    multiLevel: partitions.rows.some((p) => !p.leaf),
    partitionColumns: partitionKey.rows[0]?.columns ?? null,
    estimatedRows,
  };
}

async function indexesOf(client: pg.ClientBase, oid: number): Promise<IndexInfo[]> {
  const result = await client.query<IndexInfo>(
    `SELECT ic.relname AS name,
            array(SELECT a.attname FROM unnest(i.indkey) WITH ORDINALITY k(attnum, n)
                   JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum ORDER BY k.n)::text[] AS columns,
            i.indisunique AS unique,
            i.indisvalid AND i.indpred IS NULL AND i.indexprs IS NULL AND NOT (0 = ANY (i.indkey::int2[])) AS usable
       FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid
      WHERE i.indrelid = $1 ORDER BY ic.relname`,
    [oid],
  );
  return result.rows;
}

/** Distinct timeframes of the legacy state rows, and of a legacy agg_timeframes with their steps. */
export async function legacyTimeframes(
  client: pg.ClientBase,
  info: DatabaseInfo,
): Promise<{ used: string[]; registered: Map<string, string> }> {
  const used = info.tables.has('data_agg_state')
    ? (
        await client.query<{ t: string }>(
          `SELECT DISTINCT timeframe::text AS t FROM data_agg_state WHERE timeframe IS NOT NULL ORDER BY 1`,
        )
      ).rows.map((r) => r.t)
    : [];
  const registered = new Map<string, string>();
  if (info.tables.has('agg_timeframes')) {
    const rows = await client.query<{ t: string; s: string }>(
      `SELECT timeframe::text AS t, step::text AS s FROM agg_timeframes`,
    );
    for (const row of rows.rows) registered.set(row.t, row.s);
  }
  return { used, registered };
}

/** A key that has duplicates, or NULL: then a unique index cannot be built on it. */
export async function firstDuplicate(client: pg.ClientBase, table: string, columns: string[]): Promise<string | null> {
  const list = columns.map((c) => `"${c}"`).join(', ');
  const result = await client.query<{ key: string }>(
    `SELECT row(${list})::text AS key FROM ${table} GROUP BY ${list} HAVING count(*) > 1 LIMIT 1`,
  );
  return result.rows[0]?.key ?? null;
}

/**
 * A `migrations` table another tool made (knex, Rails, …) would be taken for ours by the
 * runner, which would then try 001 on a database full of tables. Say so instead.
 */
async function assertOwnMigrationsTable(client: pg.ClientBase): Promise<void> {
  const columns = await client.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM pg_attribute WHERE attrelid = to_regclass('migrations') AND attname IN ('id', 'name', 'hash') AND NOT attisdropped`,
  );
  const ours =
    columns.rows[0]!.n === 3 &&
    (await client.query(`SELECT 1 FROM migrations WHERE id = 0 AND name = 'create-migrations-table'`)).rows.length ===
      1;
  if (!ours) {
    throw new Error(
      'a table named "migrations" exists but was not made by this project\'s runner (postgres-migrations: columns id, name, hash and a row 0 create-migrations-table); ' +
        "it would be mistaken for this project's history. Fix: rename it (ALTER TABLE migrations RENAME TO migrations_other) or use another database or search_path",
    );
  }
}
