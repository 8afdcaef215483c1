import type { Knex } from 'knex';
import { engineOf } from '../../common/src/database';
import { writeStepPostgres } from './postgres-writer';
import { writeStepSqlite } from './sqlite-writer';
import type { WriteStep } from './write-step';

/** Upserts (never a delete-and-insert, which would cascade), deletes and the checkpoint in one transaction. */
export async function writeStep(target: Knex, step: WriteStep): Promise<void> {
  if (engineOf(target) === 'postgres') await writeStepPostgres(target, step);
  else await writeStepSqlite(target, step);
}
