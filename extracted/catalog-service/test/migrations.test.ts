import { migrateLatest, migrateRollbackAll } from '../../../common/src/migrate';
import { createTemporaryDatabase, describeEachEngine } from '../../../test/support/engines';

describeEachEngine('catalog-service migrations', (engine) => {
  test('up, down to nothing, and up again', async () => {
    const temp = await createTemporaryDatabase(engine, 'catalog-migrations');
    const db = temp.open();
    try {
      const tables = ['artists', 'albums', 'tracks'];
      await migrateLatest(db, 'catalog-service');
      for (const table of tables) expect(await db.schema.hasTable(table)).toBe(true);
      expect(await migrateRollbackAll(db, 'catalog-service')).toHaveLength(1);
      for (const table of tables) expect(await db.schema.hasTable(table)).toBe(false);
      await migrateLatest(db, 'catalog-service');
      expect(await db.schema.hasTable('tracks')).toBe(true);
    } finally {
      await db.destroy();
      await temp.cleanup();
    }
  });
});
