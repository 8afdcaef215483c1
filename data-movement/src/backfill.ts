import type { Knex } from 'knex';
import { engineOf } from '../../common/src/database';
import { createProgress } from '../../common/src/progress';
import { type AttachedCopier, attachSource, canCopyAttached } from './attached-copy';
import { installCapture } from './change-capture';
import { clearCheckpoints, ensureCheckpointTable, readCheckpoint } from './checkpoints';
import type { Endpoints } from './endpoints';
import type { ServiceSpec, TableSpec } from './service-tables';
import { countRows, type Key, keyOf, parseKey, readBatch, type Row } from './table-reader';
import { writeStep } from './write-step';

export interface BackfillOptions {
  batchSize?: number;
  /** Forget checkpoints and copy everything again (upserts keep it duplicate-free). */
  restart?: boolean;
  progressStream?: NodeJS.WriteStream;
  /** Stream rows through Node even when both sides are SQLite (the bench compares both paths). */
  streamed?: boolean;
}

export interface TableBackfill {
  table: string;
  copied: number;
  total: number;
  resumedAfter: string | null;
  skipped: boolean;
}

export const backfillCheckpointName = (table: TableSpec) => `backfill:${table.name}`;

/**
 * Copies a service's tables from the monolith in keyset batches. Each batch is
 * upserted together with its checkpoint in one target transaction, so a crash
 * at any point resumes from the last committed batch with nothing lost or doubled.
 * Change capture is installed FIRST, so writes made during the copy reach `sync`.
 */
export async function backfillService(
  endpoints: Endpoints,
  spec: ServiceSpec,
  options: BackfillOptions = {},
): Promise<TableBackfill[]> {
  const { source, target } = endpoints;
  await ensureCheckpointTable(target);
  await installCapture(source, spec);
  if (options.restart) await clearCheckpoints(target, spec.service, 'backfill:');
  const attached =
    canCopyAttached(endpoints) && !options.streamed
      ? await attachSource(target, endpoints.sourceTarget.location)
      : undefined;
  try {
    const results: TableBackfill[] = [];
    for (const table of spec.tables)
      results.push(await backfillTable(source, target, spec, table, options, attached));
    return results;
  } finally {
    await attached?.release();
  }
}

async function backfillTable(
  source: Knex,
  target: Knex,
  spec: ServiceSpec,
  table: TableSpec,
  options: BackfillOptions,
  attached: AttachedCopier | undefined,
): Promise<TableBackfill> {
  const name = backfillCheckpointName(table);
  const checkpoint = await readCheckpoint(target, spec.service, name);
  const total = await countRows(source, table);
  const resumedAfter = checkpoint?.position ?? null;
  if (checkpoint?.done) return { table: table.name, copied: 0, total, resumedAfter, skipped: true };

  const batchSize = options.batchSize ?? 5000;
  let after: Key | undefined = resumedAfter === null ? undefined : parseKey(table, resumedAfter);
  let done = after === undefined ? 0 : await countRows(source, table, after);
  let copied = 0;
  const progress = createProgress(
    `backfill ${spec.service}.${table.name}`,
    total,
    options.progressStream,
  );
  progress.tick(done);
  const checkpointAt = (last: Key | undefined, finished: boolean) => ({
    service: spec.service,
    name,
    position: last === undefined ? null : String(last),
    done: finished,
  });
  let prefetch: Promise<Row[]> | undefined;
  for (;;) {
    let count: number;
    if (attached) {
      ({ count, last: after } = await attached.copyBatch(table, after, batchSize, checkpointAt));
    } else {
      const rows = await (prefetch ?? readBatch(source, table, after, batchSize));
      count = rows.length;
      if (count > 0) after = keyOf(table, rows[count - 1]);
      // Read the next batch while this one is written.
      prefetch = count < batchSize ? undefined : readBatch(source, table, after, batchSize);
      prefetch?.catch(() => undefined);
      await writeStep(target, {
        upserts: [{ table, rows }],
        deletes: [],
        checkpoint: checkpointAt(after, count < batchSize),
        phase: 'backfill',
      });
    }
    copied += count;
    done += count;
    progress.tick(done);
    if (count < batchSize) break;
  }
  progress.finish();
  await advanceSequence(target, table);
  return { table: table.name, copied, total, resumedAfter, skipped: false };
}

/** PostgreSQL sequences ignore explicit ids: move them past the copied rows so the service's own inserts do not collide. */
export async function advanceSequence(target: Knex, table: TableSpec): Promise<void> {
  if (engineOf(target) !== 'postgres' || table.keyType !== 'integer') return;
  await target.raw(
    'select setval(pg_get_serial_sequence(?, ?), coalesce((select max(??) from ??), 0) + 1, false)',
    [table.name, table.key, table.key, table.name],
  );
}
