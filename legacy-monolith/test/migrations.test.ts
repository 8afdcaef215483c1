import type { Knex } from 'knex';
import { engineOf } from '../../common/src/database';
import { migrateLatest, migrateRollbackAll } from '../../common/src/migrate';
import {
  createTemporaryDatabase,
  describeEachEngine,
  type TemporaryDatabase,
} from '../../test/support/engines';

const MONOLITH_TABLES = [
  'albums',
  'artists',
  'countries',
  'customers',
  'event_inbox',
  'event_outbox',
  'ledger_entries',
  'ledger_lines',
  'loyalty_accounts',
  'order_lines',
  'orders',
  'pick_instructions',
  'postal_welcome_packs',
  'stock',
  'tracks',
  'welcome_emails',
];

async function listTables(db: Knex): Promise<string[]> {
  const rows: { name: string }[] =
    engineOf(db) === 'postgres'
      ? await db('information_schema.tables')
          .select('table_name as name')
          .where({ table_schema: 'public' })
      : await db('sqlite_master')
          .select('name')
          .where({ type: 'table' })
          .whereNot('name', 'like', 'sqlite_%');
  return rows
    .map((r) => r.name)
    .filter((name) => !name.startsWith('knex_migrations'))
    .sort();
}

describeEachEngine('legacy-monolith migrations', (engine) => {
  let database: TemporaryDatabase;
  let db: Knex;

  beforeAll(async () => {
    database = await createTemporaryDatabase(engine, 'migrations');
    db = database.open();
  });
  afterAll(async () => {
    await db.destroy();
    await database.cleanup();
  });

  it('go up, all the way down to no tables, and up again', async () => {
    expect(await migrateLatest(db, 'legacy-monolith')).toHaveLength(6);
    expect(await listTables(db)).toEqual(MONOLITH_TABLES);
    expect(await migrateRollbackAll(db, 'legacy-monolith')).toHaveLength(6);
    expect(await listTables(db)).toEqual([]);
    await migrateLatest(db, 'legacy-monolith');
    expect(await listTables(db)).toEqual(MONOLITH_TABLES);
  });
});
