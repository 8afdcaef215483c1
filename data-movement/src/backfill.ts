import type { Knex } from 'knex';
import { createProgress } from '../../common/src/progress';
import { type AttachedCopier, attachSource, canCopyAttached } from './attached-copy';
import { installCapture } from './change-capture';
import { clearCheckpoints, ensureCheckpointTable, readCheckpoint } from './checkpoints';
import type { Endpoints } from './endpoints';
import { moveSequencePast } from './sequences';
import { countRows, type Key, keyOf, parseKey, readBatch, type Row } from './table-reader';
import type { Flow, TablePair } from './table-spec';
import { writeStep } from './write-target';

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

export const backfillCheckpointName = (table: TablePair) => `backfill:${table.from.name}`;

/** Change capture on both sides: the owner's changes feed sync, the copy's own writes are conflicts. */
export async function installFlowCapture(endpoints: Endpoints, flow: Flow): Promise<void> {
  await installCapture(
    endpoints.source,
    flow.tables.map((t) => t.from),
  );
  await installCapture(
    endpoints.target,
    flow.tables.map((t) => t.to),
  );
}

/**
 * Copies a data set's tables from the owner in keyset batches. Each batch is
 * upserted together with its checkpoint in one target transaction, so a crash
 * at any point resumes from the last committed batch with nothing lost or doubled.
 * Change capture is installed FIRST, so writes made during the copy reach `sync`.
 */
export async function backfillFlow(
  endpoints: Endpoints,
  flow: Flow,
  options: BackfillOptions = {},
): Promise<TableBackfill[]> {
  const { source, target } = endpoints;
  await ensureCheckpointTable(target);
  await installFlowCapture(endpoints, flow);
  if (options.restart) await clearCheckpoints(target, flow.set, 'backfill:');
  const attached =
    canCopyAttached(endpoints) && !options.streamed
      ? await attachSource(target, endpoints.sourceTarget.location)
      : undefined;
  try {
    const results: TableBackfill[] = [];
    for (const table of flow.tables)
      results.push(await backfillTable(source, target, flow, table, options, attached));
    return results;
  } finally {
    await attached?.release();
  }
}

async function backfillTable(
  source: Knex,
  target: Knex,
  flow: Flow,
  table: TablePair,
  options: BackfillOptions,
  attached: AttachedCopier | undefined,
): Promise<TableBackfill> {
  const name = backfillCheckpointName(table);
  const checkpoint = await readCheckpoint(target, flow.set, name);
  const total = await countRows(source, table.from);
  const resumedAfter = checkpoint?.position ?? null;
  if (checkpoint?.done)
    return { table: table.from.name, copied: 0, total, resumedAfter, skipped: true };

  const batchSize = options.batchSize ?? 5000;
  let after: Key | undefined =
    resumedAfter === null ? undefined : parseKey(table.from, resumedAfter);
  let done = after === undefined ? 0 : await countRows(source, table.from, after);
  let copied = 0;
  const progress = createProgress(
    `backfill ${flow.set}.${table.from.name}`,
    total,
    options.progressStream,
  );
  progress.tick(done);
  const checkpointAt = (last: Key | undefined, finished: boolean) => ({
    service: flow.set,
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
      const rows = await (prefetch ?? readBatch(source, table.from, after, batchSize));
      count = rows.length;
      if (count > 0) after = keyOf(table.from, rows[count - 1]);
      // Read the next batch while this one is written.
      prefetch = count < batchSize ? undefined : readBatch(source, table.from, after, batchSize);
      prefetch?.catch(() => undefined);
      await writeStep(target, {
        upserts: [{ table: table.to, rows }],
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
  await moveSequencePast(target, table.to);
  return { table: table.from.name, copied, total, resumedAfter, skipped: false };
}
