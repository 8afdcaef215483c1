import type { Knex } from 'knex';
import { silentLogger } from '../../common/src/logger';
import {
  describeEachEngine,
  createMigratedDatabase,
  type MigratedDatabase,
} from '../../test/support/engines';
import { type CatalogPort, DatabaseCatalogAdapter, HttpCatalogAdapter } from '../src/catalog-port';
import { runInRequestContext } from '../src/http/request-context';
import { startCatalogService, type RunningCatalogService } from './support/catalog-service';
import { ALBUM_COUNT, genreOf, insertCatalogRows } from './support/catalog-rows';

/** The same behaviour, whichever adapter answers: the database one on the monolith's tables, the http one via the real catalog service. */
function describeContract(
  adapterName: string,
  open: () => Promise<{ port: CatalogPort; close(): Promise<void> }>,
) {
  describe(`catalog port contract: ${adapterName} adapter`, () => {
    let port: CatalogPort;
    let close: () => Promise<void>;
    beforeAll(async () => ({ port, close } = await open()));
    afterAll(() => close());

    it('finds albums by id with every summary field, and leaves unknown ids out', async () => {
      const found = await port.findAlbums([3, 1, 99999, 3]);
      expect([...found.keys()].sort((a, b) => a - b)).toEqual([1, 3]);
      expect(found.get(1)).toEqual({
        id: 1,
        title: 'Album 1',
        artistId: 1,
        artistName: 'Portishead',
        genre: 'Rock',
        releaseYear: 1990,
        priceCents: 1000,
      });
      expect(found.get(3)).toEqual({
        id: 3,
        title: 'Album 3',
        artistId: 1,
        artistName: 'Portishead',
        genre: 'Jazz',
        releaseYear: 1992,
        priceCents: 1002,
      });
    });

    it('when the lookup is empty, then it answers without asking for anything', async () => {
      expect((await port.findAlbums([])).size).toBe(0);
    });

    it('when more albums are looked up than one catalog page holds, then one batch call finds them', async () => {
      const ids = Array.from({ length: ALBUM_COUNT }, (_, i) => i + 1);
      const found = await port.findAlbums(ids);
      expect(found.size).toBe(ALBUM_COUNT);
      expect(found.get(ALBUM_COUNT)?.title).toBe(`Album ${ALBUM_COUNT}`);
    });

    it('pages through a genre in id order, genre in any case, with the total', async () => {
      const jazz = Array.from({ length: ALBUM_COUNT }, (_, i) => i + 1).filter(
        (id) => genreOf(id) === 'Jazz',
      );
      const first = await port.listAlbumsInGenre('JAZZ', 1, 5);
      expect(first.total).toBe(jazz.length);
      expect(first.items.map((a) => a.id)).toEqual(jazz.slice(0, 5));
      const second = await port.listAlbumsInGenre('jazz', 2, 5);
      expect(second.items.map((a) => a.id)).toEqual(jazz.slice(5, 10));
      expect(second.items.every((a) => a.genre === 'Jazz')).toBe(true);
      expect(await port.listAlbumsInGenre('Polka', 1, 5)).toEqual({ items: [], total: 0 });
    });
  });
}

describeEachEngine('catalog port', (engine) => {
  let monolithDb: MigratedDatabase;
  let db: Knex;
  let service: RunningCatalogService;

  describeContract('database', async () => {
    monolithDb = await createMigratedDatabase(engine, 'legacy-monolith', 'catalog-port-db');
    db = monolithDb.db;
    await insertCatalogRows(db);
    return {
      port: new DatabaseCatalogAdapter(db),
      close: async () => {
        await db.destroy();
        await monolithDb.cleanup();
      },
    };
  });

  describeContract('http', async () => {
    service = await startCatalogService(engine, insertCatalogRows);
    return {
      port: new HttpCatalogAdapter({ baseUrl: service.url, timeoutMs: 5000, concurrency: 2 }),
      close: () => service.close(),
    };
  });

  describe('http adapter specifics', () => {
    let running: RunningCatalogService;
    beforeAll(async () => (running = await startCatalogService(engine, insertCatalogRows)));
    afterAll(() => running.close());

    it("passes the request's correlation ID on to the catalog service", async () => {
      const port = new HttpCatalogAdapter({ baseUrl: running.url, timeoutMs: 5000 });
      await runInRequestContext({ correlationId: 'order-42.trace', logger: silentLogger() }, () =>
        port.findAlbums([1]),
      );
      expect(running.correlationIds).toContain('order-42.trace');
    });
  });
});
