import type { Knex } from 'knex';
import { engineOf } from '../../common/src/database';
import type { ServiceSpec, TableSpec } from './service-tables';

/**
 * Change capture lives in the SOURCE (monolith) database: triggers on each
 * copied table append (table, key, op) to this table. Only keys are recorded;
 * sync re-reads the current row, which makes applying a change idempotent.
 */
export const CHANGE_TABLE = 'strangler_changes';

const SQLITE_NOW = "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')";

async function ensureChangeTable(source: Knex): Promise<void> {
  if (await source.schema.hasTable(CHANGE_TABLE)) return;
  await createChangeTable(source).catch(async (error) => {
    // Another installer created it between the check and the create: that is the goal.
    if (!(await source.schema.hasTable(CHANGE_TABLE))) throw error;
  });
}

function createChangeTable(source: Knex): Promise<void> {
  return source.schema.createTable(CHANGE_TABLE, (t) => {
    t.bigIncrements('id').primary();
    t.string('table_name', 63).notNullable();
    t.text('row_key').notNullable();
    t.string('op', 1).notNullable();
    t.string('changed_at', 30).notNullable();
    // PostgreSQL: the writing transaction's id, so sync only takes changes of finished transactions.
    t.bigInteger('tx').nullable();
    t.index(['tx']);
  });
}

function triggerName(table: TableSpec, suffix: string): string {
  return `strangler_capture_${table.name}${suffix}`;
}

// SECURITY: identifiers in the DDL below come from service-tables.ts, never from user input.
function sqliteTriggers(table: TableSpec): string[] {
  const insert = (ref: 'NEW' | 'OLD', op: string) =>
    `insert into ${CHANGE_TABLE} (table_name, row_key, op, changed_at) values ('${table.name}', ${ref}."${table.key}", '${op}', ${SQLITE_NOW});`;
  return [
    `create trigger if not exists ${triggerName(table, '_ins')} after insert on "${table.name}" begin ${insert('NEW', 'I')} end`,
    `create trigger if not exists ${triggerName(table, '_upd')} after update on "${table.name}" begin ${insert('NEW', 'U')} end`,
    `create trigger if not exists ${triggerName(table, '_rekey')} after update on "${table.name}" when OLD."${table.key}" is not NEW."${table.key}" begin ${insert('OLD', 'U')} end`,
    `create trigger if not exists ${triggerName(table, '_del')} after delete on "${table.name}" begin ${insert('OLD', 'D')} end`,
  ];
}

const PG_FUNCTION = `
create or replace function strangler_capture() returns trigger language plpgsql as $$
declare
  now_text text := to_char(clock_timestamp() at time zone 'utc', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"');
begin
  if tg_op in ('UPDATE', 'DELETE') then
    insert into ${CHANGE_TABLE} (table_name, row_key, op, changed_at, tx)
      values (tg_table_name, to_jsonb(old) ->> tg_argv[0], left(tg_op, 1), now_text, txid_current());
  end if;
  if tg_op = 'INSERT' or (tg_op = 'UPDATE' and (to_jsonb(new) ->> tg_argv[0]) is distinct from (to_jsonb(old) ->> tg_argv[0])) then
    insert into ${CHANGE_TABLE} (table_name, row_key, op, changed_at, tx)
      values (tg_table_name, to_jsonb(new) ->> tg_argv[0], left(tg_op, 1), now_text, txid_current());
  end if;
  return null;
end $$`;

/** Creates the change table and the triggers; safe to run again, and from several services at once. */
export async function installCapture(source: Knex, spec: ServiceSpec): Promise<void> {
  if (engineOf(source) === 'sqlite') {
    await ensureChangeTable(source);
    for (const table of spec.tables) for (const sql of sqliteTriggers(table)) await source.raw(sql);
    return;
  }
  await source.transaction(async (trx) => {
    // necessary because two services installing on one source at once raced on the shared
    // function ("tuple concurrently updated", seen in CI): installers take turns.
    await trx.raw('select pg_advisory_xact_lock(hashtext(?))', [CHANGE_TABLE]);
    await ensureChangeTable(trx);
    await trx.raw(PG_FUNCTION);
    for (const table of spec.tables) {
      const name = triggerName(table, '');
      await trx.raw(`drop trigger if exists ${name} on "${table.name}"`);
      await trx.raw(
        `create trigger ${name} after insert or update or delete on "${table.name}" for each row execute function strangler_capture('${table.key}')`,
      );
    }
  });
}

/** Removes the service's triggers (after cut-over); the change table stays for other services. */
export async function uninstallCapture(source: Knex, spec: ServiceSpec): Promise<void> {
  for (const table of spec.tables) {
    if (engineOf(source) === 'sqlite') {
      for (const suffix of ['_ins', '_upd', '_rekey', '_del'])
        await source.raw(`drop trigger if exists ${triggerName(table, suffix)}`);
    } else {
      await source.raw(`drop trigger if exists ${triggerName(table, '')} on "${table.name}"`);
    }
  }
}
