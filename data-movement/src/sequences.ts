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
  return db.transaction(async (trx) => {
    const current = await trx('sqlite_sequence').where({ name: table.name }).first('seq');
    const seq = Math.max(Number(current?.seq ?? 0), top);
    if (current) await trx('sqlite_sequence').where({ name: table.name }).update({ seq });
    else await trx('sqlite_sequence').insert({ name: table.name, seq });
    return seq + 1;
  });
}
