import type { Knex } from 'knex';
import { engineOf } from '../../common/src/database';
import type { TableSpec } from './table-spec';

/**
 * Change capture lives in BOTH databases of a data set: triggers on each table
 * append (table, key, op) to this table. On the owner's side the rows are what
 * sync applies; on the other side they are writes nobody should have made
 * there (conflicts), and after a handover they feed the reverse sync. Only keys
 * are recorded; sync re-reads the current row, which makes a change idempotent.
 */
export const CHANGE_TABLE = 'strangler_changes';

/**
 * Sync's own writes are not captured: inside its transaction it puts a row in
 * this table (SQLite: invisible to other connections until commit, and it
 * deletes it before committing) or sets `strangler.applying` (PostgreSQL,
 * transaction-local), and the triggers skip while they see it.
 */
export const APPLYING_TABLE = 'strangler_applying';
export const APPLYING_SETTING = 'strangler.applying';

const SQLITE_NOW = "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')";

async function ensureTables(db: Knex): Promise<void> {
  if (!(await db.schema.hasTable(CHANGE_TABLE)))
    await createChangeTable(db).catch(async (error) => {
      // Another installer created it between the check and the create: that is the goal.
      if (!(await db.schema.hasTable(CHANGE_TABLE))) throw error;
    });
  if (engineOf(db) === 'sqlite')
    await db.raw(`create table if not exists ${APPLYING_TABLE} (marker integer)`);
}

function createChangeTable(db: Knex): Promise<void> {
  return db.schema.createTable(CHANGE_TABLE, (t) => {
    t.bigIncrements('id').primary();
    t.string('table_name', 63).notNullable();
    t.text('row_key').notNullable();
    t.string('op', 1).notNullable();
    t.string('changed_at', 30).notNullable();
    // PostgreSQL: the writing transaction's id, so sync only takes changes of finished transactions.
    t.bigInteger('tx').nullable();
    t.index(['tx']);
    t.index(['table_name', 'row_key']);
  });
}

function triggerName(table: TableSpec, suffix: string): string {
  return `strangler_capture_${table.name}${suffix}`;
}

// SECURITY: table and column names below were validated as plain identifiers by the spec schema.
function sqliteTriggers(table: TableSpec): string[] {
  const insert = (ref: 'NEW' | 'OLD', op: string) =>
    `insert into ${CHANGE_TABLE} (table_name, row_key, op, changed_at) select '${table.name}', ${ref}."${table.key}", '${op}', ${SQLITE_NOW} where not exists (select 1 from ${APPLYING_TABLE});`;
  return [
    `create trigger ${triggerName(table, '_ins')} after insert on "${table.name}" begin ${insert('NEW', 'I')} end`,
    `create trigger ${triggerName(table, '_upd')} after update on "${table.name}" begin ${insert('NEW', 'U')} end`,
    `create trigger ${triggerName(table, '_rekey')} after update on "${table.name}" when OLD."${table.key}" is not NEW."${table.key}" begin ${insert('OLD', 'U')} end`,
    `create trigger ${triggerName(table, '_del')} after delete on "${table.name}" begin ${insert('OLD', 'D')} end`,
  ];
}

const SQLITE_SUFFIXES = ['_ins', '_upd', '_rekey', '_del'];

const PG_FUNCTION = `
create or replace function strangler_capture() returns trigger language plpgsql as $$
declare
  now_text text := to_char(clock_timestamp() at time zone 'utc', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"');
begin
  if coalesce(current_setting('${APPLYING_SETTING}', true), '') = 'on' then
    return null;
  end if;
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

/** True when every trigger of these tables is there in its current version: sync checks each round, and DDL takes locks writers wait for. */
async function captureInstalled(db: Knex, tables: readonly TableSpec[]): Promise<boolean> {
  if (!(await db.schema.hasTable(CHANGE_TABLE))) return false;
  if (engineOf(db) === 'sqlite') {
    const names = tables.flatMap((t) => SQLITE_SUFFIXES.map((suffix) => triggerName(t, suffix)));
    const found: { sql: string }[] = await db('sqlite_master')
      .where({ type: 'trigger' })
      .whereIn('name', names)
      .select('sql');
    return found.length === names.length && found.every((t) => t.sql.includes(APPLYING_TABLE));
  }
  const fn = await db.raw(
    "select count(*)::int as n from pg_proc where proname = 'strangler_capture' and prosrc like ?",
    [`%${APPLYING_SETTING}%`],
  );
  if (fn.rows[0].n === 0) return false;
  const triggers = await db.raw(
    'select count(*)::int as n from pg_trigger where not tgisinternal and tgname = any(?)',
    [tables.map((t) => triggerName(t, ''))],
  );
  return triggers.rows[0].n === tables.length;
}

/** Creates the change table and the triggers on these tables of one database; safe to run again, and from several data sets at once. */
export async function installCapture(db: Knex, tables: readonly TableSpec[]): Promise<void> {
  if (await captureInstalled(db, tables)) return;
  if (engineOf(db) === 'sqlite') {
    await ensureTables(db);
    await db.transaction(async (trx) => {
      for (const table of tables)
        for (const [i, sql] of sqliteTriggers(table).entries()) {
          await trx.raw(`drop trigger if exists ${triggerName(table, SQLITE_SUFFIXES[i])}`);
          await trx.raw(sql);
        }
    });
    return;
  }
  await db.transaction(async (trx) => {
    // necessary because two data sets installing on one database at once raced on the shared
    // function ("tuple concurrently updated", seen in CI): installers take turns.
    await trx.raw('select pg_advisory_xact_lock(hashtext(?))', [CHANGE_TABLE]);
    await ensureTables(trx);
    await trx.raw(PG_FUNCTION);
    for (const table of tables) {
      const name = triggerName(table, '');
      await trx.raw(`drop trigger if exists ${name} on "${table.name}"`);
      await trx.raw(
        `create trigger ${name} after insert or update or delete on "${table.name}" for each row execute function strangler_capture('${table.key}')`,
      );
    }
  });
}

/** Removes the triggers of these tables; the change table stays for other data sets. */
export async function uninstallCapture(db: Knex, tables: readonly TableSpec[]): Promise<void> {
  for (const table of tables) {
    if (engineOf(db) === 'sqlite') {
      for (const suffix of SQLITE_SUFFIXES)
        await db.raw(`drop trigger if exists ${triggerName(table, suffix)}`);
    } else {
      await db.raw(`drop trigger if exists ${triggerName(table, '')} on "${table.name}"`);
    }
  }
}

/** The newest change id of the database (0 when none): a position that says "everything so far". */
export async function lastChangeId(db: Knex): Promise<string> {
  const row = await db(CHANGE_TABLE).max({ id: 'id' }).first();
  return String(row?.id ?? 0);
}
