import { migrateLatest } from '../../common/src/migrate';
import { createTemporaryDatabase, postgresAvailability } from '../../test/support/engines';
import { backfillFlow } from '../src/backfill';
import { openDataSet, orient } from '../src/endpoints';
import { findDataSet } from '../src/spec/load-spec';
import { syncFlow } from '../src/sync';
import { verifyFlow } from '../src/verify';
import { quietStream } from './support/endpoints';
import { resetMonolithSequences, seedMonolith } from './support/monolith-fixture';
import { copyExampleSpec } from './support/spec-file';

const pg = postgresAvailability();
if (!pg.available)
  process.stderr.write(`[strangler-kit] skipping "across engines": ${pg.reason}\n`);

(pg.available ? describe : describe.skip)('across engines', () => {
  test.each([
    ['sqlite', 'postgres'],
    ['postgres', 'sqlite'],
  ] as const)(
    'when a %s monolith feeds a %s service, then backfill, sync and verify agree',
    async (from, to) => {
      const monolith = await createTemporaryDatabase(from, 'monolith');
      const service = await createTemporaryDatabase(to, 'catalog-service');
      const spec = copyExampleSpec();
      try {
        const db = monolith.open();
        await migrateLatest(db, 'legacy-monolith');
        await seedMonolith(db, { artists: 10, albumsPerArtist: 3, tracksPerAlbum: 2, orders: 0 });
        await resetMonolithSequences(db);
        await db.destroy();
        const open = await openDataSet(findDataSet(spec.spec, 'catalog'), {
          source: monolith.url,
          target: service.url,
        });
        try {
          const { endpoints, flow } = orient(open, 'source');
          await backfillFlow(endpoints, flow, { progressStream: quietStream, batchSize: 7 });
          await endpoints.source('albums').where({ id: 3 }).update({ title: 'Über «new»' });
          await endpoints.source('artists').insert({ name: 'Late' });
          expect(await syncFlow(endpoints, flow)).toMatchObject({ applied: 2, pending: 0 });
          const verdicts = await verifyFlow(endpoints, flow);
          expect(verdicts.map((v) => [v.table, v.sourceRows, v.equal])).toEqual([
            ['artists', 11, true],
            ['albums', 30, true],
            ['tracks', 60, true],
          ]);
        } finally {
          await open.close();
        }
      } finally {
        spec.cleanup();
        await monolith.cleanup();
        await service.cleanup();
      }
    },
  );
});
