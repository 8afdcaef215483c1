// What one batch of backfill or sync changes in the target; the writers (sqlite-writer.ts,
// postgres-writer.ts) commit it, write-target.ts picks the writer.
import type { Checkpoint } from './checkpoints';
import type { Key, Row } from './table-reader';
import type { TableSpec } from './table-spec';

/** Everything one batch changes in the target, committed together with its checkpoint. */
export interface WriteStep {
  upserts: { table: TableSpec; rows: Row[] }[];
  deletes: { table: TableSpec; keys: Key[] }[];
  checkpoint: Checkpoint;
  /** Name prefix of the crash points hit inside and after the transaction. */
  phase: string;
  /**
   * Refuse the whole step (ConflictError, nothing written) when the target's
   * change table holds a write to any of these keys after this change id: a row
   * somebody changed on this side since sync last wrote it is never overwritten.
   */
  guardAfterId?: string;
}

/** A key the target changed itself, found inside the write transaction. */
export interface TargetWrite {
  table: string;
  key: string;
  changeId: string;
}

export class ConflictError extends Error {
  constructor(readonly found: TargetWrite[]) {
    super(`${found.length} target rows changed since sync last wrote them`);
    this.name = 'ConflictError';
  }
}

/** The step's keys per target table, as the change table records them (text). */
export function keysOfStep(step: WriteStep): Map<TableSpec, string[]> {
  const keys = new Map<TableSpec, Set<string>>();
  const add = (table: TableSpec, key: unknown) => {
    let set = keys.get(table);
    if (!set) keys.set(table, (set = new Set()));
    set.add(String(key));
  };
  for (const { table, rows } of step.upserts) {
    const at = table.columns.indexOf(table.key);
    for (const row of rows) add(table, row[at]);
  }
  for (const { table, keys: deleted } of step.deletes) for (const key of deleted) add(table, key);
  return new Map([...keys].map(([table, set]) => [table, [...set]]));
}
