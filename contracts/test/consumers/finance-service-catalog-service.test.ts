// finance-service's catalog client: it names albums on invoices and best-seller rows.
import { MatchersV3 } from '@pact-foundation/pact';
import { createCatalogClient } from '../../../extracted/finance-service/src/catalog-client';
import { consumerPact } from '../../src/consumer-pact';
import { albumsByIdsInteraction } from '../support/catalog-lookups';

const { like, integer } = MatchersV3;

describe('finance-service → catalog-service (album titles and genres)', () => {
  const { pact, settle } = consumerPact('finance-service', 'catalog-service');
  afterAll(() => settle());

  it('asks for albums by id and reads only id, title and genre', async () => {
    await albumsByIdsInteraction(pact)
      .willRespondWith(200, (response) =>
        response.jsonBody({
          items: [
            like({ id: integer(1), title: like('Kind of Blue'), genre: like('Jazz') }),
            like({ id: integer(2), title: like('Sketches of Spain'), genre: like('Jazz') }),
          ],
        }),
      )
      .executeTest(async (server) => {
        const client = createCatalogClient({ baseUrl: server.url, timeoutMs: 2000 });
        const albums = await client.findAlbums([1, 2]);
        expect(albums.get(1)).toEqual({ id: 1, title: 'Kind of Blue', genre: 'Jazz' });
        expect(albums.get(2)?.title).toBe('Sketches of Spain');
      });
  });
});
