import type { Knex } from 'knex';
import { engineOf } from '../../common/src/database';
import type { TableSpec } from './table-spec';

export async function maxKey(db: Knex, table: TableSpec): Promise<number> {
  if (table.keyType !== 'integer') return 0;
  const row = await db(table.name).max({ top: table.key }).first();
  return Number(row?.top ?? 0);
}

/**
 * Makes the next id this database hands out for the table larger than every
 * id in it and than `atLeast` (the other side's largest), never smaller than
 * before. PostgreSQL: setval on the column's sequence (explicit ids do not move
 * it). SQLite AUTOINCREMENT: the table's row in sqlite_sequence; without
 * AUTOINCREMENT SQLite already takes max(rowid) + 1. Returns the next id, or
 * null when the key is not an integer or has no sequence.
 */
export async function moveSequencePast(
  db: Knex,
  table: TableSpec,
  atLeast = 0,
): Promise<number | null> {
  if (table.keyType !== 'integer') return null;
  const top = Math.max(await maxKey(db, table), atLeast);
  if (engineOf(db) === 'postgres') {
    const found = await db.raw('select pg_get_serial_sequence(?, ?) as seq', [
      table.name,
      table.key,
    ]);
    const seq: string | null = found.rows[0]?.seq ?? null;
    if (!seq) return null;
    const moved = await db.raw(
      'select setval(?::regclass, greatest(?::bigint, coalesce(pg_sequence_last_value(?::regclass), 0)) + 1, false) as next',
      [seq, top, seq],
    );
    return Number(moved.rows[0].next);
  }
  const master = await db('sqlite_master').where({ type: 'table', name: table.name }).first('sql');
  if (!/autoincrement/i.test(String(master?.sql ?? ''))) return top + 1;
  // Two single statements, not a read-then-write transaction: on a busy WAL database an
  // upgraded read transaction fails at once ("database is locked") instead of waiting.
  await db.raw(
    'insert into sqlite_sequence (name, seq) select ?, ? where not exists (select 1 from sqlite_sequence where name = ?)',
    [table.name, top, table.name],
  );
  await db.raw('update sqlite_sequence set seq = max(seq, ?) where name = ?', [top, table.name]);
  const row = await db('sqlite_sequence').where({ name: table.name }).first('seq');
  return Number(row?.seq ?? top) + 1;
}
