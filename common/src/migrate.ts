import path from 'node:path';
import type { Knex } from 'knex';

export const MIGRATIONS_ROOT = path.resolve(__dirname, '..', '..', 'migrations');

function migratorConfig(component: string): Knex.MigratorConfig {
  return {
    directory: path.join(MIGRATIONS_ROOT, component),
    loadExtensions: ['.ts'],
    tableName: `knex_migrations`,
  };
}

/** Runs every pending migration of a component (`legacy-monolith`, `catalog-service`, …). */
export async function migrateLatest(db: Knex, component: string): Promise<string[]> {
  const [, applied] = (await db.migrate.latest(migratorConfig(component))) as [number, string[]];
  return applied;
}

/** Rolls back every migration of a component, newest first. */
export async function migrateRollbackAll(db: Knex, component: string): Promise<string[]> {
  const [, reverted] = (await db.migrate.rollback(migratorConfig(component), true)) as [
    number,
    string[],
  ];
  return reverted;
}
