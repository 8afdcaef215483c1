import fs from 'node:fs';
import path from 'node:path';
import { MIGRATIONS_ROOT, migrateLatest, migratorFor } from '../src/migrate';
import { createTemporaryDatabase, type TemporaryDatabase } from '../src/scratch-database';

describe('migrations of a component folder', () => {
  let scratch: TemporaryDatabase;
  const folder = path.join(MIGRATIONS_ROOT, 'catalog-service');
  const files = fs.readdirSync(folder).filter((name) => name.endsWith('.ts'));

  beforeEach(async () => {
    scratch = await createTemporaryDatabase('sqlite', 'migrate');
  });
  afterEach(() => scratch.cleanup());

  it('when nothing ran yet, then knex lists every file as pending, as its own folder source would', async () => {
    const db = scratch.open();
    try {
      const [done, pending] = (await db.migrate.list(migratorFor(folder))) as [
        unknown[],
        Array<{ file: string; directory: string }>,
      ];
      expect(done).toEqual([]);
      expect(pending.map((m) => m.file)).toEqual([...files].sort());
      expect(pending.every((m) => m.directory === folder)).toBe(true);
    } finally {
      await db.destroy();
    }
  });

  it('when migrated, then knex_migrations records the TypeScript file names and nothing is pending', async () => {
    const db = scratch.open();
    try {
      expect(await migrateLatest(db, 'catalog-service')).toEqual([...files].sort());
      const names = (await db('knex_migrations').select('name')).map((r) => r.name);
      expect(names).toEqual([...files].sort());
      const [, pending] = (await db.migrate.list(migratorFor(folder))) as [unknown[], unknown[]];
      expect(pending).toEqual([]);
    } finally {
      await db.destroy();
    }
  });
});
