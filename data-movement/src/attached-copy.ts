import type { Knex } from 'knex';
import { checkpointBindings, type Checkpoint, UPSERT_CHECKPOINT_SQL } from './checkpoints';
import { crashPoint } from './failpoints';
import type { Endpoints } from './endpoints';
import { markApplying, type SqliteConnection as WriterConnection } from './sqlite-writer';
import type { TablePair } from './table-spec';
import type { Key } from './table-reader';
import { upsertSql } from './upsert-sql';

/**
 * The SQLite → SQLite fast path: the monolith file is ATTACHed to the service's
 * connection and each keyset batch is an `insert … select … on conflict` inside
 * SQLite, so rows never cross into JavaScript. Batches, checkpoints in the same
 * transaction, resume and upsert semantics are exactly those of the streamed path.
 */
const ALIAS = 'strangler_source';

interface Statement {
  run(...params: unknown[]): { changes: number };
  get(...params: unknown[]): unknown;
}
interface SqliteConnection {
  prepare(sql: string): Statement;
  transaction(fn: () => void): () => void;
  exec(sql: string): void;
}

export function canCopyAttached(endpoints: Endpoints): boolean {
  return endpoints.sourceTarget.engine === 'sqlite' && endpoints.targetTarget.engine === 'sqlite';
}

export interface AttachedCopier {
  copyBatch(
    table: TablePair,
    after: Key | undefined,
    batchSize: number,
    checkpoint: (last: Key | undefined, done: boolean) => Checkpoint,
  ): Promise<{ count: number; last: Key | undefined }>;
  release(): Promise<void>;
}

/** Attaches lazily per pooled connection (knex may replace it), borrowing it one batch at a time. */
export async function attachSource(target: Knex, sourceFile: string): Promise<AttachedCopier> {
  const caches = new WeakMap<SqliteConnection, Map<string, Statement>>();
  const borrow = async <T>(
    work: (prepared: (sql: string) => Statement, conn: SqliteConnection) => T,
  ): Promise<T> => {
    const conn = (await target.client.acquireConnection()) as SqliteConnection;
    try {
      let cache = caches.get(conn);
      if (!cache) {
        conn.prepare(`attach database ? as ${ALIAS}`).run(sourceFile);
        caches.set(conn, (cache = new Map()));
      }
      const statements = cache;
      return work((sql) => {
        let statement = statements.get(sql);
        if (!statement) statements.set(sql, (statement = conn.prepare(sql)));
        return statement;
      }, conn);
    } finally {
      await target.client.releaseConnection(conn);
    }
  };
  return {
    copyBatch: ({ from: table, to }, after, batchSize, checkpoint) =>
      borrow((prepared, conn) => {
        const key = `"${table.key}"`;
        const from = `from ${ALIAS}."${table.name}" where ${after === undefined ? '1 = 1' : `${key} > ?`}`;
        const lower = after === undefined ? [] : [after];
        let result = { count: 0, last: after };
        conn.transaction(() => {
          const stats = prepared(
            `select count(*) as n, max(${key}) as last from (select ${key} ${from} order by ${key} limit ?)`,
          ).get(...lower, batchSize) as { n: number; last: Key | null };
          if (stats.n > 0) {
            const columns = table.columns.map((c) => `"${c}"`).join(', ');
            markApplying(conn as unknown as WriterConnection, true);
            prepared(
              upsertSql(to, `select ${columns} ${from} and ${key} <= ? order by ${key}`),
            ).run(...lower, stats.last);
            markApplying(conn as unknown as WriterConnection, false);
          }
          result = { count: stats.n, last: stats.n > 0 ? (stats.last as Key) : after };
          prepared(UPSERT_CHECKPOINT_SQL).run(
            ...checkpointBindings(checkpoint(result.last, stats.n < batchSize)),
          );
          crashPoint('backfill:before-commit');
        })();
        crashPoint('backfill:after-commit');
        return result;
      }),
    release: () =>
      borrow((_prepared, conn) => {
        if (caches.has(conn)) conn.exec(`detach database ${ALIAS}`);
        caches.delete(conn);
      }),
  };
}
