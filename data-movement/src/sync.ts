import type { Knex } from 'knex';
import { engineOf } from '../../common/src/database';
import { backfillCheckpointName, installFlowCapture } from './backfill';
import { CHANGE_TABLE, lastChangeId } from './change-capture';
import { ensureCheckpointTable, readCheckpoint } from './checkpoints';
import type { Endpoints } from './endpoints';
import { DataMovementError } from './errors';
import { moveSequencePast } from './sequences';
import { type Key, keyOf, parseKey, readByKeys, type Row } from './table-reader';
import type { Flow, TablePair } from './table-spec';
import { ConflictError, type TargetWrite, type WriteStep } from './write-step';
import { writeStep } from './write-target';

/**
 * Where sync stands. SQLite commits one writer at a time, so change ids commit
 * in order and `afterId` alone is enough. PostgreSQL can commit id 6 before id 5;
 * there a window of finished transactions [lo, hi) is applied in id order, and
 * `hi` is the oldest transaction still running when the window was opened.
 * `guard`: the target's change rows after this id are writes made on the target
 * itself (sync's own are not captured); a key among them is never overwritten.
 */
export interface SyncPosition {
  afterId: string;
  lo: string;
  hi: string | null;
  guard: string;
}

export interface SyncResult {
  applied: number;
  pending: number;
  oldestPendingSeconds: number;
  /** Applied change rows deleted from the source's change table (older than the retention). */
  pruned: number;
}

/** A row both sides changed: the owner's version and the other side's, as they are now. */
export interface Conflict {
  table: string;
  key: string;
  owner: Record<string, unknown> | null;
  other: Record<string, unknown> | null;
}

export const SYNC_CHECKPOINT = 'sync';

async function assertBackfilled(target: Knex, flow: Flow): Promise<void> {
  for (const table of flow.tables) {
    const checkpoint = await readCheckpoint(target, flow.set, backfillCheckpointName(table));
    if (!checkpoint?.done) {
      throw new DataMovementError(
        'ERR_DATA_BACKFILL_INCOMPLETE',
        `table ${table.from.name} of ${flow.set} is not backfilled yet: run \`strangler data backfill ${flow.set}\` first (sync only applies changes on top of a finished copy)`,
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
    return { ...position, afterId: '0', hi: await oldestRunningHere(source) };
  }
  const row = await source(CHANGE_TABLE).max({ hi: 'id' }).first();
  return { ...position, hi: String(row?.hi ?? position.afterId) };
}

// Change ids are bigints: strings from PostgreSQL, numbers on SQLite.
function idBinding(db: Knex, id: string): string | number {
  return engineOf(db) === 'postgres' ? id : Number(id);
}

const fromNames = (flow: Flow) => flow.tables.map((t) => t.from.name);

function changesInWindow(source: Knex, flow: Flow, position: SyncPosition) {
  const query = source(CHANGE_TABLE).whereIn('table_name', fromNames(flow));
  if (engineOf(source) === 'postgres')
    query.where('tx', '>=', position.lo).andWhere('tx', '<', position.hi!);
  else query.where('id', '<=', idBinding(source, position.hi!));
  return query;
}

/** Re-reads the current source rows of the changed keys: present → upsert, gone → delete. */
async function planStep(
  source: Knex,
  flow: Flow,
  changes: { table_name: string; row_key: string }[],
) {
  const upserts: WriteStep['upserts'] = [];
  const deletes: WriteStep['deletes'] = [];
  for (const table of flow.tables) {
    const keys = [
      ...new Set(changes.filter((c) => c.table_name === table.from.name).map((c) => c.row_key)),
    ];
    if (keys.length === 0) continue;
    const rows = await readByKeys(
      source,
      table.from,
      keys.map((k) => parseKey(table.from, k)),
    );
    const present = new Set(rows.map((r) => String(keyOf(table.from, r))));
    upserts.push({ table: table.to, rows });
    deletes.unshift({
      table: table.to,
      keys: keys.filter((k) => !present.has(k)).map((k): Key => parseKey(table.to, k)),
    });
  }
  return { upserts, deletes };
}

/** Where a new direction of sync starts: every change the source has so far counts as applied. */
export async function positionAtEnd(source: Knex, target: Knex): Promise<SyncPosition> {
  const guard = await lastChangeId(target);
  if (engineOf(source) === 'postgres')
    return { afterId: '0', lo: await oldestRunningHere(source), hi: null, guard };
  return { afterId: await lastChangeId(source), lo: '0', hi: null, guard };
}

async function readPosition(target: Knex, flow: Flow): Promise<SyncPosition | undefined> {
  const saved = await readCheckpoint(target, flow.set, SYNC_CHECKPOINT);
  if (!saved?.position) return undefined;
  const position = JSON.parse(saved.position) as Partial<SyncPosition>;
  return {
    afterId: position.afterId ?? '0',
    lo: position.lo ?? '0',
    hi: position.hi ?? null,
    guard: position.guard ?? '0',
  };
}

export interface SyncOptions {
  batchSize?: number;
  /** Delete applied change rows older than this many hours (default: keep them). */
  retentionHours?: number;
  /** The other side's versions of conflicting rows are replaced by the owner's (after a person looked at them). */
  overwriteConflicts?: boolean;
}

/**
 * Applies every change captured on the owner's side so far (idempotently, in
 * order) and reports the lag left. A row the target changed itself since sync
 * last wrote it stops sync with ERR_DATA_CONFLICT: nothing is overwritten.
 */
export async function syncFlow(
  endpoints: Endpoints,
  flow: Flow,
  options: SyncOptions = {},
): Promise<SyncResult> {
  const { source, target } = endpoints;
  await ensureCheckpointTable(target);
  const saved = await readPosition(target, flow);
  if (!saved) await assertBackfilled(target, flow);
  await installFlowCapture(endpoints, flow);
  let position = await openWindow(source, saved ?? { afterId: '0', lo: '0', hi: null, guard: '0' });
  if (options.overwriteConflicts) position = { ...position, guard: await lastChangeId(target) };
  const batchSize = options.batchSize ?? 1000;
  let applied = 0;
  for (;;) {
    const changes = await changesInWindow(source, flow, position)
      .andWhere('id', '>', idBinding(source, position.afterId))
      .orderBy('id')
      .limit(batchSize)
      .select('id', 'table_name', 'row_key');
    const finished = changes.length < batchSize;
    const afterId = changes.length > 0 ? String(changes[changes.length - 1].id) : position.afterId;
    const next: SyncPosition =
      finished && engineOf(source) === 'postgres'
        ? { afterId: '0', lo: position.hi!, hi: null, guard: position.guard }
        : { ...position, afterId };
    const { upserts, deletes } = await planStep(source, flow, changes);
    try {
      await writeStep(target, {
        upserts,
        deletes,
        checkpoint: {
          service: flow.set,
          name: SYNC_CHECKPOINT,
          position: JSON.stringify(next),
          done: false,
        },
        phase: 'sync',
        guardAfterId: position.guard,
      });
    } catch (error) {
      if (error instanceof ConflictError)
        throw conflictError(flow, await describeConflicts(endpoints, flow, error.found));
      throw error;
    }
    applied += changes.length;
    position = next;
    if (finished) break;
  }
  if (applied > 0) for (const table of flow.tables) await moveSequencePast(target, table.to);
  const pruned =
    options.retentionHours === undefined
      ? 0
      : await pruneApplied(source, flow, position, options.retentionHours);
  return { applied, pruned, ...(await measureLag(source, flow, position)) };
}

/** Deletes change rows sync has applied and that are older than the retention. */
async function pruneApplied(
  source: Knex,
  flow: Flow,
  position: SyncPosition,
  retentionHours: number,
): Promise<number> {
  const cutoff = new Date(Date.now() - retentionHours * 3_600_000).toISOString();
  const query = source(CHANGE_TABLE)
    .whereIn('table_name', fromNames(flow))
    .andWhere('changed_at', '<', cutoff);
  if (engineOf(source) === 'postgres') query.andWhere('tx', '<', position.lo);
  else query.andWhere('id', '<=', idBinding(source, position.afterId));
  return Number(await query.del());
}

const asObject = (table: TablePair['from'], row: Row | undefined) =>
  row ? Object.fromEntries(table.columns.map((c, i) => [c, row[i]])) : null;

/** Both versions of each key the target changed itself. */
export async function describeConflicts(
  endpoints: Endpoints,
  flow: Flow,
  found: TargetWrite[],
): Promise<Conflict[]> {
  const conflicts: Conflict[] = [];
  const seen = new Set<string>();
  for (const write of found) {
    const id = `${write.table}\u0000${write.key}`;
    if (seen.has(id)) continue;
    seen.add(id);
    const table = flow.tables.find((t) => t.to.name === write.table);
    if (!table) continue;
    const [owner] = await readByKeys(endpoints.source, table.from, [
      parseKey(table.from, write.key),
    ]);
    const [other] = await readByKeys(endpoints.target, table.to, [parseKey(table.to, write.key)]);
    conflicts.push({
      table: table.from.name,
      key: write.key,
      owner: asObject(table.from, owner),
      other: asObject(table.to, other),
    });
  }
  return conflicts;
}

/** Every row the target changed itself since sync started this direction: writes the owner never saw. */
export async function findConflicts(endpoints: Endpoints, flow: Flow): Promise<Conflict[]> {
  const { target } = endpoints;
  if (!(await target.schema.hasTable(CHANGE_TABLE))) return [];
  const position = await readPosition(target, flow);
  const rows: { id: unknown; table_name: string; row_key: string }[] = await target(CHANGE_TABLE)
    .whereIn(
      'table_name',
      flow.tables.map((t) => t.to.name),
    )
    .andWhere('id', '>', idBinding(target, position?.guard ?? '0'))
    .orderBy('id')
    .limit(1000)
    .select('id', 'table_name', 'row_key');
  return describeConflicts(
    endpoints,
    flow,
    rows.map((r) => ({ table: r.table_name, key: r.row_key, changeId: String(r.id) })),
  );
}

export function conflictError(flow: Flow, conflicts: Conflict[]): DataMovementError {
  const lines = conflicts
    .slice(0, 20)
    .map(
      (c) =>
        `  ${c.table} ${c.key}: owner ${JSON.stringify(c.owner)} / other side ${JSON.stringify(c.other)}`,
    );
  return new DataMovementError(
    'ERR_DATA_CONFLICT',
    [
      `sync ${flow.set} stopped: ${conflicts.length} row(s) were changed on the side that does not own the data since sync last wrote them; nothing was overwritten:`,
      ...lines,
      `Only the owner may take writes (the proxy refuses write canaries of a data set). Decide which version is right: keep the other side's by writing it through the owner, then run \`strangler data sync ${flow.set} --overwrite-conflicts\` to let the owner's versions replace the other side's. \`strangler data verify ${flow.set}\` lists every conflict.`,
    ].join('\n'),
  );
}

/** Changes captured but not applied yet, and how old the oldest of them is. */
async function measureLag(
  source: Knex,
  flow: Flow,
  position: SyncPosition,
): Promise<Omit<SyncResult, 'applied' | 'pruned'>> {
  const query = source(CHANGE_TABLE).whereIn('table_name', fromNames(flow));
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
