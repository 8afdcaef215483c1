import path from 'node:path';
import type { Knex } from 'knex';
import { engineOf } from '../../common/src/database';
import { MIGRATIONS_ROOT, migratorFor } from '../../common/src/migrate';

export const CATALOG_SPLIT = 'legacy-monolith-catalog-split';

// necessary because the split steps share the monolith's database but not its migration list: with
// one knex_migrations table, each folder's migrator would report the other's files as missing.
function splitMigrator(): Knex.MigratorConfig {
  return migratorFor(path.join(MIGRATIONS_ROOT, CATALOG_SPLIT), 'knex_migrations_catalog_split');
}

/**
 * Applies the catalog split steps to a migrated monolith database (drops the foreign keys into `albums`).
 *
 * @example await applyCatalogSplit(db) // → ['20260301000100_move_album_foreign_keys_into_code.ts']
 */
export async function applyCatalogSplit(db: Knex): Promise<string[]> {
  const [, applied] = (await db.migrate.latest(splitMigrator())) as [number, string[]];
  await assertForeignKeysOn(db);
  return applied;
}

/** Rolls every split step back: the foreign keys return (refused while rows point at albums the monolith lacks). */
export async function revertCatalogSplit(db: Knex): Promise<string[]> {
  const [, reverted] = (await db.migrate.rollback(splitMigrator(), true)) as [number, string[]];
  await assertForeignKeysOn(db);
  return reverted;
}

// necessary because the SQLite steps rebuild tables: afterwards the connection must still enforce
// foreign keys (openDatabase turns them on per connection) and no row may break one.
async function assertForeignKeysOn(db: Knex): Promise<void> {
  if (engineOf(db) !== 'sqlite') return;
  await db.raw('pragma foreign_keys = ON');
  const broken: unknown[] = await db.raw('pragma foreign_key_check');
  if (broken.length > 0)
    throw new Error(
      `catalog split left ${broken.length} row(s) breaking a foreign key: ${JSON.stringify(broken.slice(0, 5))}`,
    );
}
