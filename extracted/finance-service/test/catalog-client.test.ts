import { createCatalogClient } from '../src/catalog-client';
import { startStubCatalog, type StubCatalog } from './support/stub-catalog';

describe('catalog client', () => {
  let stub: StubCatalog;

  beforeAll(async () => {
    stub = await startStubCatalog(
      Array.from({ length: 250 }, (_, i) => ({
        id: i + 1,
        title: `Album ${i + 1}`,
        genre: 'jazz',
      })),
    );
  });
  afterAll(() => stub.close());
  beforeEach(() => {
    stub.mode = 'up';
    stub.requests = [];
  });

  test('looks albums up 100 ids per request, passing the correlation id on', async () => {
    const client = createCatalogClient({ baseUrl: `${stub.url}/`, timeoutMs: 2000 });
    const ids = Array.from({ length: 260 }, (_, i) => i + 1);
    const albums = await client.findAlbums([...ids, 1, 2], 'corr-42');
    expect(albums.size).toBe(250);
    expect(albums.get(7)).toEqual({ id: 7, title: 'Album 7', genre: 'jazz' });
    expect(albums.has(255)).toBe(false);
    expect(stub.requests.map((r) => r.ids.split(',').length)).toEqual([100, 100, 60]);
    expect(stub.requests.every((r) => r.correlationId === 'corr-42')).toBe(true);
  });

  test('when there are no ids, then no request is made', async () => {
    expect(
      (await createCatalogClient({ baseUrl: stub.url, timeoutMs: 2000 }).findAlbums([])).size,
    ).toBe(0);
    expect(stub.requests).toEqual([]);
  });

  // A 503 or a refused connection comes at once: their timeouts are long (not what is tested) so
  // that a loaded machine cannot turn them into a timeout.
  test.each([
    ['an error status', 'down', 10_000, /answered 503/],
    ['a timeout', 'silent', 100, /did not answer within 100ms/],
  ] as const)(
    'when the catalog gives %s, then it is CATALOG_UNAVAILABLE',
    async (_label, mode, timeoutMs, message) => {
      stub.mode = mode;
      const client = createCatalogClient({ baseUrl: stub.url, timeoutMs });
      await expect(client.findAlbums([1])).rejects.toMatchObject({
        code: 'CATALOG_UNAVAILABLE',
        message: expect.stringMatching(message),
      });
    },
  );

  test('when the connection is refused, then it is CATALOG_UNAVAILABLE naming the cause', async () => {
    const closed = await startStubCatalog([]);
    await closed.close();
    const client = createCatalogClient({ baseUrl: closed.url, timeoutMs: 10_000 });
    await expect(client.findAlbums([1])).rejects.toMatchObject({
      code: 'CATALOG_UNAVAILABLE',
      message: expect.stringMatching(/unreachable \(ECONNREFUSED\)/),
    });
  });
});
