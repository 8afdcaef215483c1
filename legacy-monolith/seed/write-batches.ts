import type { Knex } from 'knex';
import { engineOf } from '../../common/src/database';
import type { Batch } from './generate';

export type BatchWriter = (batch: Batch) => Promise<void>;

interface SqliteStatement {
  run(params: unknown): unknown;
}
interface SqliteConnection {
  prepare(sql: string): SqliteStatement;
  pragma(sql: string): unknown;
  transaction<T extends (...args: never[]) => unknown>(fn: T): T;
}

/**
 * Writes seed batches the fastest way each engine allows: on SQLite, one
 * prepared statement per table run in a transaction per batch (better-sqlite3
 * is synchronous, so this avoids knex's per-row overhead); on PostgreSQL,
 * one INSERT … SELECT from a JSON parameter per batch.
 * Table and column names come from the generator, never from user input.
 */
export async function createBatchWriter(
  db: Knex,
): Promise<{ write: BatchWriter; close(): Promise<void> }> {
  if (engineOf(db) === 'postgres') {
    // One statement per batch: the rows travel as a single JSON parameter and
    // PostgreSQL expands them with the table's own column types.
    return {
      write: async ({ table, rows }) => {
        if (rows.length === 0) return;
        const columns = Object.keys(rows[0]);
        await db.transaction(async (trx) => {
          // necessary for bulk-load speed (about 1.5x here): an interrupted seed is re-run with --reset.
          await trx.raw('SET LOCAL synchronous_commit = off');
          await trx.raw(
            `INSERT INTO ?? (${columns.map(() => '??').join(', ')}) SELECT ${columns.map(() => '??').join(', ')} FROM json_populate_recordset(NULL::??, ?)`,
            [table, ...columns, ...columns, table, JSON.stringify(rows)],
          );
        });
      },
      close: async () => undefined,
    };
  }
  const conn = (await db.client.acquireConnection()) as SqliteConnection;
  // necessary for bulk-load speed: a seed interrupted by a crash is simply re-run
  // with --reset, so durability of each batch is not worth an fsync.
  conn.pragma('synchronous = OFF');
  conn.pragma('cache_size = -262144');
  const statements = new Map<string, SqliteStatement>();
  const statementFor = (table: string, columns: string[]) => {
    let statement = statements.get(table);
    if (!statement) {
      const names = columns.map((c) => `"${c}"`).join(', ');
      const params = columns.map((c) => `@${c}`).join(', ');
      statement = conn.prepare(`INSERT INTO "${table}" (${names}) VALUES (${params})`);
      statements.set(table, statement);
    }
    return statement;
  };
  const insertAll = conn.transaction((statement: SqliteStatement, rows: Batch['rows']) => {
    for (const row of rows) statement.run(row);
  });
  return {
    write: async ({ table, rows }) => {
      if (rows.length === 0) return;
      insertAll(statementFor(table, Object.keys(rows[0])), rows);
    },
    close: async () => {
      conn.pragma('synchronous = FULL');
      await db.client.releaseConnection(conn);
    },
  };
}
