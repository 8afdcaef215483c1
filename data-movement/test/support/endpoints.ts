import { Writable } from 'node:stream';
import { migrateLatest } from '../../../common/src/migrate';
import type { Engine } from '../../../common/src/database';
import { createTemporaryDatabase, type TemporaryDatabase } from '../../../test/support/engines';
import { type Endpoints, flowOf, openDataSet, orient } from '../../src/endpoints';
import { type DataSet, findDataSet } from '../../src/spec/load-spec';
import type { Flow } from '../../src/table-spec';
import { type FixtureSize, resetMonolithSequences, seedMonolith } from './monolith-fixture';
import { copyExampleSpec } from './spec-file';

/** Progress bars go nowhere in tests. */
export const quietStream = new Writable({
  write: (_chunk, _enc, done) => done(),
}) as unknown as NodeJS.WriteStream;

export interface MovingData {
  monolith: TemporaryDatabase;
  service: TemporaryDatabase;
  /** The temporary copy of data-movement.yaml (no routes file). */
  specFile: string;
  set: DataSet;
  /** monolith → service (the data set's owner at the start). */
  flow: Flow;
  open(): Promise<Endpoints>;
  cleanup(): Promise<void>;
}

/** A seeded monolith database and an empty service database on one engine. */
export async function createMovingData(
  engine: Engine,
  name: 'catalog' | 'finance',
  size: FixtureSize,
): Promise<MovingData> {
  const [monolith, target] = await Promise.all([
    createTemporaryDatabase(engine, 'monolith'),
    createTemporaryDatabase(engine, `${name}-service`),
  ]);
  const db = monolith.open();
  await migrateLatest(db, 'legacy-monolith');
  await seedMonolith(db, size);
  await resetMonolithSequences(db);
  await db.destroy();
  const spec = copyExampleSpec();
  const set = findDataSet(spec.spec, name);
  return {
    monolith,
    service: target,
    specFile: spec.file,
    set,
    flow: flowOf(set, 'source'),
    open: async () =>
      orient(await openDataSet(set, { source: monolith.url, target: target.url }), 'source')
        .endpoints,
    cleanup: async () => {
      spec.cleanup();
      await monolith.cleanup();
      await target.cleanup();
    },
  };
}
