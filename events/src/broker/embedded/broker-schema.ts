import path from 'node:path';
import type { Knex } from 'knex';
import { MIGRATIONS_ROOT, migratorFor } from '../../../../common/src/migrate';

// Its own migration table, so the broker can share a database with an application.
const MIGRATOR: Knex.MigratorConfig = migratorFor(
  path.join(MIGRATIONS_ROOT, 'event-broker'),
  'knex_migrations_event_broker',
);

/** Creates or updates the broker's tables; several processes may open one broker at once. */
export async function migrateBroker(db: Knex): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await db.migrate.latest(MIGRATOR);
      return;
    } catch (error) {
      // necessary because two processes starting together race for knex's migration lock
      const message = (error as Error).message;
      if (attempt >= 20 || !/lock|already exists|SQLITE_BUSY|duplicate key/i.test(message))
        throw error;
      await new Promise((resolve) => setTimeout(resolve, 100 * attempt));
    }
  }
}

export async function rollbackBroker(db: Knex): Promise<void> {
  await db.migrate.rollback(MIGRATOR, true);
}
