import type { Knex } from 'knex';
import type { Engine } from '../../common/src/database';
import { migrateLatest } from '../../common/src/migrate';
import { createTemporaryDatabase, type TemporaryDatabase } from '../../common/src/scratch-database';

// Tests reach scratch databases through this file; benchmarks import common/src/scratch-database.
export { createTemporaryDatabase, type TemporaryDatabase };

export const ENGINE_ENV = 'STRANGLER_TEST_PG';

/** Set by the jest global setup: 'yes', or the reason PostgreSQL tests are skipped. */
export function postgresAvailability(): { available: boolean; reason: string } {
  const value = process.env[ENGINE_ENV];
  if (value === 'yes') return { available: true, reason: '' };
  return { available: false, reason: value ?? 'global setup did not probe PostgreSQL' };
}

export interface MigratedDatabase extends TemporaryDatabase {
  /** An open connection to the database, with the component's migrations applied. */
  db: Knex;
}

/**
 * A temporary database with one component's migrations applied (migrations/<component>/).
 * The caller closes `db` and then calls `cleanup()`.
 *
 * @example const temp = await createMigratedDatabase(engine, 'legacy-monolith', 'seed');
 */
export async function createMigratedDatabase(
  engine: Engine,
  component: string,
  label = component,
): Promise<MigratedDatabase> {
  const temp = await createTemporaryDatabase(engine, label);
  const db = temp.open();
  try {
    await migrateLatest(db, component);
  } catch (error) {
    await db.destroy();
    await temp.cleanup();
    throw error;
  }
  return { ...temp, db };
}

/**
 * Declares the same tests once per database engine. PostgreSQL tests are
 * skipped (reason printed by the global setup) when it is unreachable, except
 * under CI=true where the global setup fails instead.
 *
 * @example describeEachEngine('catalog API', (engine) => { ... })
 */
export function describeEachEngine(title: string, body: (engine: Engine) => void): void {
  describe(`${title} [sqlite]`, () => body('sqlite'));
  const pg = postgresAvailability();
  if (pg.available) describe(`${title} [postgres]`, () => body('postgres'));
  else {
    // The reason is printed where the skip happens, not only once by the global setup.
    process.stderr.write(`[strangler-kit] skipping "${title} [postgres]": ${pg.reason}\n`);
    describe.skip(`${title} [postgres] (skipped: ${pg.reason})`, () => body('postgres'));
  }
}
