import fs from 'node:fs';
import path from 'node:path';
import type { Knex } from 'knex';
import { codePath, projectPath } from './project-root';

export const MIGRATIONS_ROOT = projectPath('migrations');

type MigrationModule = Knex.Migration;
/** The shape knex's own folder source lists (what `migrate.list()` returns as pending). */
interface MigrationFile {
  file: string;
  directory: string;
}

/**
 * Migrations keep the names of their TypeScript files (what knex_migrations records), whether
 * this process runs the sources or the compiled copy in dist/: the list comes from the source
 * folder, the code from wherever this process loads code (see codePath).
 */
class SourceNamedMigrations implements Knex.MigrationSource<MigrationFile> {
  constructor(private readonly directory: string) {}

  async getMigrations(): Promise<MigrationFile[]> {
    return fs
      .readdirSync(this.directory)
      .filter((name) => name.endsWith('.ts') && !name.endsWith('.d.ts'))
      .sort()
      .map((file) => ({ file, directory: this.directory }));
  }

  getMigrationName(migration: MigrationFile): string {
    return migration.file;
  }

  async getMigration(migration: MigrationFile): Promise<MigrationModule> {
    const file = path.join(codePath(this.directory), migration.file.replace(/\.ts$/, ''));
    return require(file) as MigrationModule;
  }
}

/**
 * Knex's migrator settings for one folder of TypeScript migrations and its own bookkeeping table.
 *
 * @example await db.migrate.latest(migratorFor(projectPath('migrations', 'event-broker'), 'knex_migrations_event_broker'))
 */
export function migratorFor(directory: string, tableName = 'knex_migrations'): Knex.MigratorConfig {
  return { migrationSource: new SourceNamedMigrations(path.resolve(directory)), tableName };
}

/** Runs every pending migration of a component (`legacy-monolith`, `catalog-service`, …). */
export async function migrateLatest(db: Knex, component: string): Promise<string[]> {
  const [, applied] = (await db.migrate.latest(
    migratorFor(path.join(MIGRATIONS_ROOT, component)),
  )) as [number, string[]];
  return applied;
}

/** Rolls back every migration of a component, newest first. */
export async function migrateRollbackAll(db: Knex, component: string): Promise<string[]> {
  const [, reverted] = (await db.migrate.rollback(
    migratorFor(path.join(MIGRATIONS_ROOT, component)),
    true,
  )) as [number, string[]];
  return reverted;
}
