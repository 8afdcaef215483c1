import type { Knex } from 'knex';
import { engineOf } from '../../common/src/database';
import type { TableSpec } from './table-spec';

/** A row as its values in `TableSpec.columns` order: arrays are cheaper than objects at a million rows. */
export type Row = unknown[];
export type Key = number | string;

export function keyOf(table: TableSpec, row: Row): Key {
  return row[table.columns.indexOf(table.key)] as Key;
}

// PostgreSQL sorts text by the database locale; "C" gives byte order, the same as SQLite and as JS string comparison.
function keySql(db: Knex, table: TableSpec): string {
  return table.keyType === 'text' && engineOf(db) === 'postgres' ? '?? collate "C"' : '??';
}

interface SqliteStatement {
  raw(on: boolean): SqliteStatement;
  all(...params: unknown[]): unknown[][];
}
interface SqliteConnection {
  prepare(sql: string): SqliteStatement;
}
const sqliteStatements = new WeakMap<SqliteConnection, Map<string, SqliteStatement>>();

// Why the raw connection on SQLite: array rows from a cached prepared statement
// read several times faster than knex's objects, and backfill is read-bound.
async function readSqlite(
  db: Knex,
  table: TableSpec,
  after: Key | undefined,
  limit: number,
): Promise<Row[]> {
  const quote = (name: string) => `"${name}"`;
  const where = after === undefined ? '' : `where ${quote(table.key)} > ?`;
  const sql = `select ${table.columns.map(quote).join(', ')} from ${quote(table.name)} ${where} order by ${quote(table.key)} limit ?`;
  const conn = (await db.client.acquireConnection()) as SqliteConnection;
  try {
    let cache = sqliteStatements.get(conn);
    if (!cache) sqliteStatements.set(conn, (cache = new Map()));
    let statement = cache.get(sql);
    if (!statement) cache.set(sql, (statement = conn.prepare(sql).raw(true)));
    return after === undefined ? statement.all(limit) : statement.all(after, limit);
  } finally {
    await db.client.releaseConnection(conn);
  }
}

/** One keyset page: rows with key > after, in key order. */
export async function readBatch(
  db: Knex,
  table: TableSpec,
  after: Key | undefined,
  limit: number,
): Promise<Row[]> {
  if (engineOf(db) === 'sqlite') return readSqlite(db, table, after, limit);
  const key = keySql(db, table);
  // rowMode array: pg hands back value arrays in select order, no per-row objects.
  const query = db(table.name)
    .select(table.columns)
    .orderByRaw(key, [table.key])
    .limit(limit)
    .options({ rowMode: 'array' });
  if (after !== undefined) query.whereRaw(`${key} > ?`, [table.key, after]);
  return (await query) as unknown as Row[];
}

export async function readByKeys(db: Knex, table: TableSpec, keys: Key[]): Promise<Row[]> {
  const rows: Row[] = [];
  for (let i = 0; i < keys.length; i += 500) {
    const found: Record<string, unknown>[] = await db(table.name)
      .select(table.columns)
      .whereIn(table.key, keys.slice(i, i + 500));
    rows.push(...found.map((row) => table.columns.map((c) => row[c])));
  }
  return rows;
}

export async function countRows(db: Knex, table: TableSpec, upTo?: Key): Promise<number> {
  const query = db(table.name).count({ n: '*' });
  if (upTo !== undefined) query.whereRaw(`${keySql(db, table)} <= ?`, [table.key, upTo]);
  const row = await query.first();
  return Number(row?.n ?? 0);
}

/** Keys arrive as text (checkpoints, change rows); integer keys are compared as numbers. */
export function parseKey(table: TableSpec, raw: string): Key {
  return table.keyType === 'integer' ? Number(raw) : raw;
}

export function compareKeys(a: Key, b: Key): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  const x = String(a);
  const y = String(b);
  return x < y ? -1 : x > y ? 1 : 0;
}
