import type { Knex } from 'knex';
import { engineOf } from '../../common/src/database';
import {
  describeEachEngine,
  createMigratedDatabase,
  type TemporaryDatabase,
  type MigratedDatabase,
} from '../../test/support/engines';
import { applyCatalogSplit, revertCatalogSplit } from '../src/catalog-split';
import { insertAlbum, insertArtist, insertCountries, insertCustomer } from './support/test-data';

/** Tables (other than catalog's own tracks) with a foreign key into albums. */
async function tablesReferencingAlbums(db: Knex): Promise<string[]> {
  if (engineOf(db) === 'postgres') {
    const { rows } = await db.raw(
      `select conrelid::regclass::text as name from pg_constraint where contype = 'f' and confrelid = 'albums'::regclass`,
    );
    return rows
      .map((r: { name: string }) => r.name)
      .filter((n: string) => n !== 'tracks')
      .sort();
  }
  const found: string[] = [];
  for (const table of ['order_lines', 'stock', 'ledger_lines']) {
    const keys: { table: string }[] = await db.raw('select * from pragma_foreign_key_list(?)', [
      table,
    ]);
    if (keys.some((k) => k.table === 'albums')) found.push(table);
  }
  return found.sort();
}

async function indexesOf(db: Knex, table: string): Promise<string[]> {
  if (engineOf(db) === 'postgres')
    return (await db('pg_indexes').where({ tablename: table }).pluck('indexname')).sort();
  return (
    await db('sqlite_master')
      .where({ type: 'index', tbl_name: table })
      .whereNotNull('sql')
      .pluck('name')
  ).sort();
}

/** The schema refuses a write, seen from a fresh connection (as the application opens it: SQLite foreign keys on). */
async function expectRefused(
  database: TemporaryDatabase,
  write: (db: Knex) => Promise<unknown>,
): Promise<void> {
  const fresh = database.open();
  try {
    // Compared by message: better-sqlite3's SqliteError is not an Error to jest when the addon was first loaded by another test file.
    const outcome = await write(fresh).then(
      () => 'accepted',
      (error: Error) => error.message,
    );
    expect(outcome).toMatch(/foreign key/i);
  } finally {
    await fresh.destroy();
  }
}

describeEachEngine('catalog split migrations', (engine) => {
  let database: MigratedDatabase;
  let db: Knex;
  let album: number;
  let orderId: number;

  beforeAll(async () => {
    database = await createMigratedDatabase(engine, 'legacy-monolith', 'catalog-split');
    db = database.db;
    await insertCountries(db);
    album = await insertAlbum(db, {
      artistId: await insertArtist(db, 'Split'),
      title: 'Before the split',
      stock: 4,
    });
    const customer = await insertCustomer(db, 'split@example.com');
    [orderId] = (
      await db('orders')
        .insert({
          customer_id: customer,
          country_code: 'GB',
          status: 'placed',
          subtotal_cents: 1,
          tax_cents: 0,
          total_cents: 1,
          placed_at: 'x',
        })
        .returning('id')
    ).map((r: { id: number } | number) => Number(typeof r === 'object' ? r.id : r));
    await db('order_lines').insert({
      order_id: orderId,
      album_id: album,
      quantity: 1,
      unit_price_cents: 1,
    });
  });
  afterAll(async () => {
    await db.destroy();
    await database.cleanup();
  });

  it('up drops the three foreign keys into albums, keeping rows, indexes, other keys and ids', async () => {
    const indexes = await indexesOf(db, 'order_lines');
    expect(await tablesReferencingAlbums(db)).toEqual(['ledger_lines', 'order_lines', 'stock']);
    expect(await applyCatalogSplit(db)).toEqual([
      '20260301000100_move_album_foreign_keys_into_code.ts',
    ]);
    expect(await tablesReferencingAlbums(db)).toEqual([]);
    expect(await indexesOf(db, 'order_lines')).toEqual(indexes);
    expect(await db('order_lines').select('order_id', 'album_id')).toEqual([
      { order_id: orderId, album_id: album },
    ]);
    expect(await db('stock').where({ album_id: album }).first()).toMatchObject({ quantity: 4 });
    // An album created in the catalog service is now acceptable; the key to orders still holds.
    await db('order_lines').insert({
      order_id: orderId,
      album_id: 777777,
      quantity: 1,
      unit_price_cents: 1,
    });
    await db('stock').insert({ album_id: 777777, quantity: 1, bin: 'NEW' });
    await expectRefused(database, (fresh) =>
      fresh('order_lines').insert({
        order_id: 999999,
        album_id: album,
        quantity: 1,
        unit_price_cents: 1,
      }),
    );
    const ids = await db('order_lines').orderBy('id').pluck('id');
    expect(ids.map(Number)).toEqual([ids[0], ids[0] + 1].map(Number));
  });

  it('when rows point at albums the monolith lacks, then down refuses, naming the table and the fix', async () => {
    // knex prints the failed migration to the console; the assertion below is what matters.
    const quiet = jest.spyOn(console, 'log').mockImplementation(() => undefined);
    await expect(revertCatalogSplit(db)).rejects.toThrow(
      /order_lines: 1 row\(s\) name albums that are not in the monolith's albums table.*backfill those albums/,
    );
    quiet.mockRestore();
    expect(await tablesReferencingAlbums(db)).toEqual([]);
  });

  it('when the data allows it, then down restores the foreign keys, and they are enforced again', async () => {
    await db('order_lines').where({ album_id: 777777 }).delete();
    await db('stock').where({ album_id: 777777 }).delete();
    expect(await revertCatalogSplit(db)).toEqual([
      '20260301000100_move_album_foreign_keys_into_code.ts',
    ]);
    expect(await tablesReferencingAlbums(db)).toEqual(['ledger_lines', 'order_lines', 'stock']);
    await expectRefused(database, (fresh) =>
      fresh('stock').insert({ album_id: 888888, quantity: 1, bin: 'X' }),
    );
    expect(await db('order_lines').count({ n: '*' }).first()).toEqual({
      n: engine === 'postgres' ? '1' : 1,
    });
    // on delete cascade came back with stock's key.
    await db('order_lines').delete();
    await db('albums').where({ id: album }).delete();
    expect(await db('stock').where({ album_id: album })).toEqual([]);
  });

  it('when a table is rebuilt, then its triggers are kept (change capture must survive the split)', async () => {
    if (engine === 'postgres')
      await db.raw(
        `create function noop() returns trigger language plpgsql as $$ begin return new; end $$`,
      );
    await db.raw(
      engine === 'sqlite'
        ? 'create trigger capture_ledger_lines after insert on ledger_lines begin select 1; end'
        : 'create trigger capture_ledger_lines after insert on ledger_lines for each row execute function noop()',
    );
    await applyCatalogSplit(db);
    const triggers =
      engine === 'sqlite'
        ? await db('sqlite_master')
            .where({ type: 'trigger', tbl_name: 'ledger_lines' })
            .pluck('name')
        : await db('information_schema.triggers')
            .where({ event_object_table: 'ledger_lines' })
            .distinct()
            .pluck('trigger_name');
    expect(triggers).toEqual(['capture_ledger_lines']);
    await revertCatalogSplit(db);
  });
});
