import type { Server } from 'node:http';
import type { Knex } from 'knex';
import request from 'supertest';
import type { Engine } from '../../../common/src/database';
import { silentLogger } from '../../../common/src/logger';
import { createMigratedDatabase } from '../../../test/support/engines';
import { createApp } from '../../src/app';
import { insertCountries } from './test-data';

export interface TestMonolith {
  db: Knex;
  http: ReturnType<typeof request>;
  close(): Promise<void>;
}

/** A migrated temporary database with the test countries, and the app listening on 127.0.0.1:0. */
type AppDeps = Parameters<typeof createApp>[0];

export async function startTestMonolith(
  engine: Engine,
  label: string,
  options: Omit<Partial<AppDeps>, 'db'> = {},
): Promise<TestMonolith> {
  const database = await createMigratedDatabase(engine, 'legacy-monolith', label);
  const db = database.db;
  await insertCountries(db);
  const app = createApp({ ...options, db, logger: options.logger ?? silentLogger() });
  const server: Server = await new Promise((resolve) => {
    const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
  });
  return {
    db,
    http: request(server),
    async close() {
      await new Promise((resolve) => server.close(resolve));
      await db.destroy();
      await database.cleanup();
    },
  };
}
