import { Writable } from 'node:stream';
import { migrateLatest } from '../../../common/src/migrate';
import type { Engine } from '../../../common/src/database';
import { createTemporaryDatabase, type TemporaryDatabase } from '../../../test/support/engines';
import { type Endpoints, openEndpoints } from '../../src/endpoints';
import { findService } from '../../src/service-tables';
import { type FixtureSize, resetMonolithSequences, seedMonolith } from './monolith-fixture';

/** Progress bars go nowhere in tests. */
export const quietStream = new Writable({
  write: (_chunk, _enc, done) => done(),
}) as unknown as NodeJS.WriteStream;

export interface MovingData {
  monolith: TemporaryDatabase;
  service: TemporaryDatabase;
  open(): Promise<Endpoints>;
  cleanup(): Promise<void>;
}

/** A seeded monolith database and an empty service database on one engine. */
export async function createMovingData(
  engine: Engine,
  service: 'catalog' | 'finance',
  size: FixtureSize,
): Promise<MovingData> {
  const [monolith, target] = await Promise.all([
    createTemporaryDatabase(engine, 'monolith'),
    createTemporaryDatabase(engine, `${service}-service`),
  ]);
  const db = monolith.open();
  await migrateLatest(db, 'legacy-monolith');
  await seedMonolith(db, size);
  await resetMonolithSequences(db);
  await db.destroy();
  return {
    monolith,
    service: target,
    open: () => openEndpoints(findService(service), { source: monolith.url, target: target.url }),
    cleanup: async () => {
      await monolith.cleanup();
      await target.cleanup();
    },
  };
}
