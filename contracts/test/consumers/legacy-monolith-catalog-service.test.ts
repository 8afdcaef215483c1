// The monolith's catalog port, HTTP adapter side: what it asks catalog-service and what it reads back.
import { MatchersV3 } from '@pact-foundation/pact';
import { HttpCatalogAdapter } from '../../../legacy-monolith/src/catalog-port';
import { consumerPact } from '../../src/consumer-pact';
import { albumsByIdsInteraction } from '../support/catalog-lookups';

const { like, integer, eachLike } = MatchersV3;

const summary = (id: number, title: string, priceCents: number) =>
  like({
    id: integer(id),
    title: like(title),
    artistId: integer(3),
    artistName: like('Miles Davis'),
    genre: like('Jazz'),
    releaseYear: integer(1959),
    priceCents: integer(priceCents),
  });

describe('legacy-monolith → catalog-service (the catalog port over HTTP)', () => {
  const { pact, settle } = consumerPact('legacy-monolith', 'catalog-service');
  afterAll(() => settle());

  const adapter = (url: string) => new HttpCatalogAdapter({ baseUrl: url, timeoutMs: 2000 });

  it('looks albums up by id in one request and keeps every field of the summary', async () => {
    await albumsByIdsInteraction(pact)
      .willRespondWith(200, (response) =>
        response.jsonBody({
          items: [summary(1, 'Kind of Blue', 1999), summary(2, 'Sketches of Spain', 1799)],
          total: integer(2),
        }),
      )
      .executeTest(async (server) => {
        const albums = await adapter(server.url).findAlbums([1, 2]);
        expect([...albums.keys()]).toEqual([1, 2]);
        expect(albums.get(2)).toEqual({
          id: 2,
          title: 'Sketches of Spain',
          artistId: 3,
          artistName: 'Miles Davis',
          genre: 'Jazz',
          releaseYear: 1959,
          priceCents: 1799,
        });
      });
  });

  it('when the catalog does not know an id, then the album is treated as absent', async () => {
    await pact
      .addInteraction()
      .given('no album has the requested id', { id: 999999 })
      .uponReceiving('a request for an album that does not exist')
      .withRequest('GET', '/catalog/albums', (request) =>
        request.query({ ids: '999999', pageSize: '100' }).headers({ accept: 'application/json' }),
      )
      .willRespondWith(200, (response) => response.jsonBody({ items: [], total: integer(0) }))
      .executeTest(async (server) => {
        expect((await adapter(server.url).findAlbums([999999])).size).toBe(0);
      });
  });

  it("pages through a genre's albums", async () => {
    await pact
      .addInteraction()
      .given('albums of a genre exist', { genre: 'Jazz' })
      .uponReceiving("a request for a page of a genre's albums")
      .withRequest('GET', '/catalog/albums', (request) =>
        request
          .query({ genre: 'Jazz', page: '1', pageSize: '2' })
          .headers({ accept: 'application/json' }),
      )
      .willRespondWith(200, (response) =>
        response.jsonBody({
          items: eachLike(summary(1, 'Blue Train', 1999), 2),
          total: integer(3),
        }),
      )
      .executeTest(async (server) => {
        const page = await adapter(server.url).listAlbumsInGenre('Jazz', 1, 2);
        expect(page.total).toBe(3);
        expect(page.items).toHaveLength(2);
        expect(page.items[0]).toMatchObject({ genre: 'Jazz', priceCents: 1999 });
      });
  });
});
