import type { Knex } from 'knex';
import { engineOf } from '../../common/src/database';
import { advanceSequence, backfillCheckpointName } from './backfill';
import { CHANGE_TABLE, installCapture } from './change-capture';
import { ensureCheckpointTable, readCheckpoint } from './checkpoints';
import type { Endpoints } from './endpoints';
import { DataMovementError } from './errors';
import type { ServiceSpec } from './service-tables';
import { type Key, keyOf, parseKey, readByKeys } from './table-reader';
import { writeStep, type WriteStep } from './write-step';

/**
 * Where sync stands. SQLite commits one writer at a time, so change ids commit
 * in order and `afterId` alone is enough. PostgreSQL can commit id 6 before id 5;
 * there a window of finished transactions [lo, hi) is applied in id order, and
 * `hi` is the oldest transaction still running when the window was opened.
 */
interface SyncPosition {
  afterId: string;
  lo: string;
  hi: string | null;
}

export interface SyncResult {
  applied: number;
  pending: number;
  oldestPendingSeconds: number;
}

const SYNC_CHECKPOINT = 'sync';

async function assertBackfilled(target: Knex, spec: ServiceSpec): Promise<void> {
  for (const table of spec.tables) {
    const checkpoint = await readCheckpoint(target, spec.service, backfillCheckpointName(table));
    if (!checkpoint?.done) {
      throw new DataMovementError(
        'ERR_DATA_BACKFILL_INCOMPLETE',
        `table ${table.name} of ${spec.service} is not backfilled yet: run \`strangler data backfill ${spec.service}\` first (sync only applies changes on top of a finished copy)`,
      );
    }
  }
}

/**
 * The oldest transaction that may still write this database's change table.
 * Transaction ids are cluster-wide, so transactions running in OTHER databases
 * (positively identified through pg_stat_activity) are ignored: they cannot
 * write here, and a long one would otherwise hold sync back.
 */
async function oldestRunningHere(source: Knex): Promise<string> {
  const snapshot = await source.raw(
    'select txid_snapshot_xmax(s)::text as xmax, array(select x::text from txid_snapshot_xip(s) x) as running from txid_current_snapshot() s',
  );
  const others = await source.raw(
    'select backend_xid::text as xid from pg_stat_activity where backend_xid is not null and datname is distinct from current_database()',
  );
  const elsewhere = new Set<bigint>(others.rows.map((r: { xid: string }) => BigInt(r.xid)));
  const { xmax, running } = snapshot.rows[0] as { xmax: string; running: string[] };
  // xip entries are epoch-extended 64-bit ids; backend_xid is the low 32 bits.
  const here = running.map(BigInt).filter((xid) => !elsewhere.has(xid & 0xffffffffn));
  // biome-ignore lint/complexity/useMathMinMax: these are bigints, which Math.min does not take
  return String(here.reduce((min, xid) => (xid < min ? xid : min), BigInt(xmax)));
}

async function openWindow(source: Knex, position: SyncPosition): Promise<SyncPosition> {
  if (engineOf(source) === 'postgres') {
    if (position.hi !== null) return position;
    return { afterId: '0', lo: position.lo, hi: await oldestRunningHere(source) };
  }
  const row = await source(CHANGE_TABLE).max({ hi: 'id' }).first();
  return { ...position, hi: String(row?.hi ?? position.afterId) };
}

// Change ids are bigints: strings from PostgreSQL, numbers on SQLite.
function idBinding(source: Knex, id: string): string | number {
  return engineOf(source) === 'postgres' ? id : Number(id);
}

function changesInWindow(source: Knex, spec: ServiceSpec, position: SyncPosition) {
  const query = source(CHANGE_TABLE).whereIn(
    'table_name',
    spec.tables.map((t) => t.name),
  );
  if (engineOf(source) === 'postgres')
    query.where('tx', '>=', position.lo).andWhere('tx', '<', position.hi!);
  else query.where('id', '<=', idBinding(source, position.hi!));
  return query;
}

/** Re-reads the current source rows of the changed keys: present → upsert, gone → delete. */
async function planStep(
  source: Knex,
  spec: ServiceSpec,
  changes: { table_name: string; row_key: string }[],
) {
  const upserts: WriteStep['upserts'] = [];
  const deletes: WriteStep['deletes'] = [];
  for (const table of spec.tables) {
    const keys = [
      ...new Set(changes.filter((c) => c.table_name === table.name).map((c) => c.row_key)),
    ];
    if (keys.length === 0) continue;
    const rows = await readByKeys(
      source,
      table,
      keys.map((k) => parseKey(table, k)),
    );
    const present = new Set(rows.map((r) => String(keyOf(table, r))));
    upserts.push({ table, rows });
    deletes.unshift({
      table,
      keys: keys.filter((k) => !present.has(k)).map((k): Key => parseKey(table, k)),
    });
  }
  return { upserts, deletes };
}

/** Applies every change captured so far (idempotently, in order) and reports the lag left. */
export async function syncService(
  endpoints: Endpoints,
  spec: ServiceSpec,
  options: { batchSize?: number } = {},
): Promise<SyncResult> {
  const { source, target } = endpoints;
  await ensureCheckpointTable(target);
  await assertBackfilled(target, spec);
  await installCapture(source, spec);
  const saved = await readCheckpoint(target, spec.service, SYNC_CHECKPOINT);
  let position = await openWindow(
    source,
    saved?.position ? JSON.parse(saved.position) : { afterId: '0', lo: '0', hi: null },
  );
  const batchSize = options.batchSize ?? 1000;
  let applied = 0;
  for (;;) {
    const changes = await changesInWindow(source, spec, position)
      .andWhere('id', '>', idBinding(source, position.afterId))
      .orderBy('id')
      .limit(batchSize)
      .select('id', 'table_name', 'row_key');
    const finished = changes.length < batchSize;
    const afterId = changes.length > 0 ? String(changes[changes.length - 1].id) : position.afterId;
    const next: SyncPosition =
      finished && engineOf(source) === 'postgres'
        ? { afterId: '0', lo: position.hi!, hi: null }
        : { ...position, afterId };
    const { upserts, deletes } = await planStep(source, spec, changes);
    await writeStep(target, {
      upserts,
      deletes,
      checkpoint: {
        service: spec.service,
        name: SYNC_CHECKPOINT,
        position: JSON.stringify(next),
        done: false,
      },
      phase: 'sync',
    });
    applied += changes.length;
    position = next;
    if (finished) break;
  }
  if (applied > 0) for (const table of spec.tables) await advanceSequence(target, table);
  return { applied, ...(await measureLag(source, spec, position)) };
}

/** Changes captured but not applied yet, and how old the oldest of them is. */
async function measureLag(
  source: Knex,
  spec: ServiceSpec,
  position: SyncPosition,
): Promise<Omit<SyncResult, 'applied'>> {
  const query = source(CHANGE_TABLE).whereIn(
    'table_name',
    spec.tables.map((t) => t.name),
  );
  if (engineOf(source) === 'postgres') query.where('tx', '>=', position.lo);
  else query.where('id', '>', idBinding(source, position.afterId));
  const row = await query.count({ n: '*' }).min({ oldest: 'changed_at' }).first();
  const pending = Number(row?.n ?? 0);
  const oldest = row?.oldest ? Date.parse(String(row.oldest)) : NaN;
  return {
    pending,
    oldestPendingSeconds:
      pending > 0 && !Number.isNaN(oldest) ? Math.max(0, (Date.now() - oldest) / 1000) : 0,
  };
}
