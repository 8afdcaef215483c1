import type { Knex } from 'knex';
import { engineOf } from '../../common/src/database';
import type { Checkpoint } from './checkpoints';
import { writeStepPostgres } from './postgres-writer';
import type { TableSpec } from './service-tables';
import { writeStepSqlite } from './sqlite-writer';
import type { Key, Row } from './table-reader';

/** Everything one batch changes in the target, committed together with its checkpoint. */
export interface WriteStep {
  upserts: { table: TableSpec; rows: Row[] }[];
  deletes: { table: TableSpec; keys: Key[] }[];
  checkpoint: Checkpoint;
  /** Name prefix of the crash points hit inside and after the transaction. */
  phase: string;
}

/** Upserts (never a delete-and-insert, which would cascade), deletes and the checkpoint in one transaction. */
export async function writeStep(target: Knex, step: WriteStep): Promise<void> {
  if (engineOf(target) === 'postgres') await writeStepPostgres(target, step);
  else await writeStepSqlite(target, step);
}
