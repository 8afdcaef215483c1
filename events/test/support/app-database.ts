import type { Knex } from 'knex';
import { createTemporaryDatabase, type TemporaryDatabase } from '../../../test/support/engines';
import { createInboxTable, createOutboxTable } from '../../src/outbox/outbox-schema';
import type { BrokerLabel } from './brokers';

/** An application database for tests: an outbox, an inbox, and a table of side effects. */
export interface AppDatabase {
  temp: TemporaryDatabase;
  db: Knex;
  effects(): Promise<{ event_id: string; n: number }[]>;
  close(): Promise<void>;
}

export async function createAppDatabase(label: BrokerLabel): Promise<AppDatabase> {
  const temp = await createTemporaryDatabase(label === 'postgres' ? 'postgres' : 'sqlite', 'app');
  const db = temp.open();
  await createOutboxTable(db);
  await createInboxTable(db);
  await db.schema.createTable('effects', (t) => {
    t.increments('id');
    t.string('event_id', 64).notNullable();
    t.integer('n').notNullable();
  });
  return {
    temp,
    db,
    effects: () => db('effects').select('event_id', 'n').orderBy('id'),
    async close() {
      await db.destroy();
      await temp.cleanup();
    },
  };
}
