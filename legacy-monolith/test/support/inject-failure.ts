import type { Knex } from 'knex';
import { engineOf } from '../../../common/src/database';

/**
 * Makes the database itself refuse a write (a trigger raising an error), so a failure is injected
 * at an exact step of the real code path without hooks in the application.
 */
export async function injectFailure(
  db: Knex,
  table: string,
  event: 'insert' | 'update',
  when?: string,
): Promise<void> {
  if (engineOf(db) === 'sqlite') {
    await db.raw(
      `create trigger inject_failure_${table} before ${event} on ${table} ${when ? `when ${when}` : ''} begin select raise(abort, 'injected failure'); end`,
    );
    return;
  }
  await db.raw(
    `create or replace function inject_failure() returns trigger language plpgsql as $$ begin raise exception 'injected failure'; end $$`,
  );
  await db.raw(
    `create trigger inject_failure_${table} before ${event} on ${table} for each row ${when ? `when (${when})` : ''} execute function inject_failure()`,
  );
}

export async function removeFailure(db: Knex, table: string): Promise<void> {
  await db.raw(
    engineOf(db) === 'sqlite'
      ? `drop trigger inject_failure_${table}`
      : `drop trigger inject_failure_${table} on ${table}`,
  );
}
