// catalog-service as the provider of its consumers' pacts (contracts/contracts.yaml): the real
// service, started the way main.ts starts it, on a scratch SQLite file; provider states write
// through the service's own repository.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDatabase } from '../../../common/src/database';
import type { ProviderUnderTest } from '../../../contracts/src/provider-harness';
import { loadConfig } from '../src/config';
import { startCatalogService } from '../src/main';
import { CatalogRepository } from '../src/repository';

const album = (artistId: number, title: string, genre: string, priceCents = 1999) => ({
  title,
  artistId,
  genre,
  releaseYear: 1959,
  priceCents,
  tracks: [{ title: `${title} (side A)`, durationSeconds: 300 }],
});

export async function startProvider(): Promise<ProviderUnderTest> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'catalog-service-provider-'));
  const file = path.join(dir, 'catalog-service.sqlite');
  const remove = () => fs.rmSync(dir, { recursive: true, force: true });
  let service: Awaited<ReturnType<typeof startCatalogService>>;
  try {
    service = await startCatalogService(
      loadConfig({
        CATALOG_PORT: '0',
        CATALOG_DATABASE_URL: `sqlite:${file}`,
        LOG_LEVEL: 'silent',
      }),
    );
  } catch (error) {
    remove();
    throw error;
  }
  const db = openDatabase({ engine: 'sqlite', location: file });
  const repository = new CatalogRepository(db);
  const createdAt = new Date(0).toISOString();

  return {
    url: service.url,
    stateHandlers: {
      /** Two albums; their ids (assigned by the database) are injected into the request as `ids`. */
      async 'two albums exist'() {
        const artist = await repository.insertArtist('Miles Davis');
        const ids = [
          await repository.insertAlbum(album(artist, 'Kind of Blue', 'Jazz'), createdAt),
          await repository.insertAlbum(album(artist, 'Sketches of Spain', 'Jazz', 1799), createdAt),
        ];
        return { ids: ids.join(',') };
      },
      async 'albums of a genre exist'(params) {
        const genre = String(params.genre ?? 'Jazz');
        const artist = await repository.insertArtist('John Coltrane');
        for (const title of ['Blue Train', 'Giant Steps', 'A Love Supreme'])
          await repository.insertAlbum(album(artist, title, genre), createdAt);
        return undefined;
      },
      async 'no album has the requested id'(params) {
        const id = Number(params.id);
        if (await repository.findAlbum(id))
          throw new Error(`album ${id} exists; the state needs an id the catalog does not know`);
        return undefined;
      },
    },
    async close() {
      await db.destroy();
      await service.close();
      remove();
    },
  };
}
