import type { Knex } from 'knex';
import { APPLYING_TABLE, CHANGE_TABLE } from './change-capture';
import { checkpointBindings, UPSERT_CHECKPOINT_SQL } from './checkpoints';
import { crashPoint } from './failpoints';
import type { TableSpec } from './table-spec';
import { upsertSql } from './upsert-sql';
import { ConflictError, keysOfStep, type TargetWrite, type WriteStep } from './write-step';

interface Statement {
  run(...params: unknown[]): unknown;
  all(...params: unknown[]): unknown[];
}
export interface SqliteConnection {
  prepare(sql: string): Statement;
  transaction(fn: () => void): { immediate(): void };
}

// Why the raw connection: one prepared statement per row inside one transaction is
// several times faster than knex building a multi-row insert for every batch.
const statements = new WeakMap<SqliteConnection, Map<string, Statement>>();

export function prepared(conn: SqliteConnection, sql: string): Statement {
  let cache = statements.get(conn);
  if (!cache) statements.set(conn, (cache = new Map()));
  let statement = cache.get(sql);
  if (!statement) cache.set(sql, (statement = conn.prepare(sql)));
  return statement;
}

function toSqliteValue(value: unknown): unknown {
  if (value === undefined) return null;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (value instanceof Date) return value.toISOString();
  return value;
}

// 100 rows per statement: far fewer VM round trips, well under SQLite's 32,766 bound variables.
const ROWS_PER_STATEMENT = 100;

function upsertStatement(conn: SqliteConnection, table: TableSpec, rows: number): Statement {
  const tuple = `(${table.columns.map(() => '?').join(', ')})`;
  return prepared(
    conn,
    upsertSql(table, `values ${Array.from({ length: rows }, () => tuple).join(', ')}`),
  );
}

function upsertRows(conn: SqliteConnection, table: TableSpec, rows: unknown[][]): void {
  let index = 0;
  if (rows.length >= ROWS_PER_STATEMENT) {
    const many = upsertStatement(conn, table, ROWS_PER_STATEMENT);
    for (; index + ROWS_PER_STATEMENT <= rows.length; index += ROWS_PER_STATEMENT) {
      const values: unknown[] = [];
      for (let i = index; i < index + ROWS_PER_STATEMENT; i += 1)
        for (const value of rows[i]) values.push(toSqliteValue(value));
      many.run(...values);
    }
  }
  const one = upsertStatement(conn, table, 1);
  for (; index < rows.length; index += 1) one.run(...rows[index].map(toSqliteValue));
}

function findTargetWrites(conn: SqliteConnection, step: WriteStep, afterId: string): TargetWrite[] {
  const found: TargetWrite[] = [];
  for (const [table, keys] of keysOfStep(step)) {
    for (let i = 0; i < keys.length; i += 500) {
      const chunk = keys.slice(i, i + 500);
      const rows = conn
        .prepare(
          `select id, row_key from ${CHANGE_TABLE} where table_name = ? and id > ? and row_key in (${chunk.map(() => '?').join(', ')}) order by id`,
        )
        .all(table.name, Number(afterId), ...chunk) as { id: number; row_key: string }[];
      for (const row of rows)
        found.push({ table: table.name, key: row.row_key, changeId: String(row.id) });
    }
  }
  return found;
}

/** Marks the connection's transaction as sync's own, so the target's triggers do not capture it. */
export function markApplying(conn: SqliteConnection, on: boolean): void {
  prepared(
    conn,
    on ? `insert into ${APPLYING_TABLE} (marker) values (1)` : `delete from ${APPLYING_TABLE}`,
  ).run();
}

export async function writeStepSqlite(target: Knex, step: WriteStep): Promise<void> {
  const conn = (await target.client.acquireConnection()) as SqliteConnection;
  try {
    // immediate: the write lock is taken first, so no other writer slips in between the conflict check and the writes.
    conn
      .transaction(() => {
        if (step.guardAfterId !== undefined) {
          const found = findTargetWrites(conn, step, step.guardAfterId);
          if (found.length > 0) throw new ConflictError(found);
        }
        markApplying(conn, true);
        for (const { table, rows } of step.upserts) upsertRows(conn, table, rows);
        for (const { table, keys } of step.deletes) {
          const statement = prepared(conn, `delete from "${table.name}" where "${table.key}" = ?`);
          for (const key of keys) statement.run(key);
        }
        markApplying(conn, false);
        prepared(conn, UPSERT_CHECKPOINT_SQL).run(...checkpointBindings(step.checkpoint));
        crashPoint(`${step.phase}:before-commit`);
      })
      .immediate();
  } finally {
    await target.client.releaseConnection(conn);
  }
  crashPoint(`${step.phase}:after-commit`);
}
