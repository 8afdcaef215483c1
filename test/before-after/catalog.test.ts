import { eventually, expectError, get, patch, post } from './client';
import { describeSuite } from './suite';

describeSuite('catalog', () => {
  it('lists albums a page at a time with a total', async () => {
    const reply = await get('/catalog/albums');
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({ page: 1, pageSize: 20 });
    expect(reply.body.items).toHaveLength(20);
    expect(reply.body.total).toBeGreaterThan(20);
    expect(Object.keys(reply.body.items[0]).sort()).toEqual([
      'artistId',
      'artistName',
      'genre',
      'id',
      'priceCents',
      'releaseYear',
      'title',
    ]);
  });

  it('pages are disjoint and ordered by id', async () => {
    const first = await get('/catalog/albums?page=1&pageSize=5');
    const second = await get('/catalog/albums?page=2&pageSize=5');
    expect(first.body.items).toHaveLength(5);
    const ids = [...first.body.items, ...second.body.items].map((a: { id: number }) => a.id);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    expect(new Set(ids).size).toBe(10);
  });

  it('a page past the end is empty but keeps the total', async () => {
    const all = await get('/catalog/albums?pageSize=1');
    const past = await get(`/catalog/albums?page=${all.body.total + 10}&pageSize=1`);
    expect(past.status).toBe(200);
    expect(past.body.items).toEqual([]);
    expect(past.body.total).toBeGreaterThanOrEqual(all.body.total);
  });

  it('filters by genre', async () => {
    const reply = await get('/catalog/albums?genre=jazz&pageSize=50');
    expect(reply.status).toBe(200);
    expect(reply.body.items.length).toBeGreaterThan(0);
    for (const album of reply.body.items) expect(album.genre).toBe('jazz');
  });

  it('filters by artist', async () => {
    const some = await get('/catalog/albums?pageSize=1');
    const artistId = some.body.items[0].artistId;
    const reply = await get(`/catalog/albums?artistId=${artistId}&pageSize=100`);
    expect(reply.body.items.length).toBeGreaterThan(0);
    for (const album of reply.body.items) expect(album.artistId).toBe(artistId);
  });

  it('searches titles case-insensitively', async () => {
    const some = await get('/catalog/albums?pageSize=1');
    const word = some.body.items[0].title.split(' ')[0];
    const reply = await get(
      `/catalog/albums?q=${encodeURIComponent(word.toUpperCase())}&pageSize=100`,
    );
    expect(reply.body.total).toBeGreaterThan(0);
    for (const album of reply.body.items)
      expect(album.title.toLowerCase()).toContain(word.toLowerCase());
  });

  it.each([['%'], ['_'], ["' OR 1=1 --"], ['"; DROP TABLE albums; --']])(
    'treats %j in a search as literal text',
    async (q) => {
      const reply = await get(`/catalog/albums?q=${encodeURIComponent(q)}`);
      expect(reply.status).toBe(200);
      expect(reply.body.total).toBe(0);
    },
  );

  it('shows an album with its artist, tracks and suggestions', async () => {
    const some = await get('/catalog/albums?pageSize=1');
    const reply = await get(`/catalog/albums/${some.body.items[0].id}`);
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({
      id: some.body.items[0].id,
      artist: { id: some.body.items[0].artistId },
    });
    expect(reply.body.tracks.length).toBeGreaterThan(0);
    expect(reply.body.tracks[0]).toEqual({
      position: 1,
      title: expect.any(String),
      durationSeconds: expect.any(Number),
    });
    expect(Array.isArray(reply.body.youMayAlsoLike)).toBe(true);
  });

  it('answers 404 for an unknown album and 400 for a non-numeric id', async () => {
    expectError(await get('/catalog/albums/99999999'), 404, 'NOT_FOUND');
    expectError(await get('/catalog/albums/abc'), 400, 'VALIDATION_FAILED', 'id');
  });

  it('creates an album that can then be read and found', async () => {
    const artists = await get('/catalog/artists?pageSize=1');
    const title = `Created Album ${Date.now().toString(36)}`;
    const created = await post('/catalog/albums', {
      title,
      artistId: artists.body.items[0].id,
      genre: 'folk',
      releaseYear: 2020,
      priceCents: 1599,
      tracks: [
        { title: 'One', durationSeconds: 200 },
        { title: 'Two', durationSeconds: 180 },
      ],
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      title,
      genre: 'folk',
      priceCents: 1599,
      releaseYear: 2020,
    });
    expect(created.body.tracks.map((t: { position: number }) => t.position)).toEqual([1, 2]);
    await eventually(async () => {
      const read = await get(`/catalog/albums/${created.body.id}`);
      expect(read.status).toBe(200);
      expect(read.body.title).toBe(title);
      const found = await get(`/catalog/albums?q=${encodeURIComponent(title)}`);
      expect(found.body.items.map((a: { id: number }) => a.id)).toEqual([created.body.id]);
    });
  });

  it.each([
    [{ artistId: 1, genre: 'rock', releaseYear: 2000, priceCents: 100 }, 'title'],
    [
      { title: 'x', artistId: 'one', genre: 'rock', releaseYear: 2000, priceCents: 100 },
      'artistId',
    ],
    [{ title: 'x', artistId: 1, genre: 'rock', releaseYear: 2000, priceCents: -5 }, 'priceCents'],
    [{ title: 'x', artistId: 1, genre: 'rock', releaseYear: 1200, priceCents: 100 }, 'releaseYear'],
    [
      { title: 'x', artistId: 99999999, genre: 'rock', releaseYear: 2000, priceCents: 100 },
      'artistId',
    ],
  ])('refuses a bad new album %j naming the field %s', async (body, field) => {
    expectError(await post('/catalog/albums', body), 400, 'VALIDATION_FAILED', field);
  });

  it.each([
    ['NUL', 'Blue\u0000'],
    ['an escape sequence', 'Blue\u001b[2J'],
    ['a right-to-left override', 'Blue\u202e3pm.exe'],
  ])('refuses %s in an album title, and stores nothing', async (_what, title) => {
    const reply = await post('/catalog/albums', {
      title,
      artistId: 1,
      genre: 'rock',
      releaseYear: 2000,
      priceCents: 100,
    });
    expectError(reply, 400, 'VALIDATION_FAILED', 'title');
    expect(reply.body.error.message).toMatch(
      /must not contain control or bidi-override characters/,
    );
  });

  it('changes an album price and the new price is read back', async () => {
    const some = await get('/catalog/albums?pageSize=1&page=3');
    const id = some.body.items[0].id;
    const changed = await patch(`/catalog/albums/${id}/price`, { priceCents: 777 });
    expect(changed.status).toBe(200);
    expect(changed.body.priceCents).toBe(777);
    await eventually(async () =>
      expect((await get(`/catalog/albums/${id}`)).body.priceCents).toBe(777),
    );
  });

  it('refuses a bad price change', async () => {
    expectError(
      await patch('/catalog/albums/1/price', { priceCents: 'cheap' }),
      400,
      'VALIDATION_FAILED',
      'priceCents',
    );
    expectError(
      await patch('/catalog/albums/99999999/price', { priceCents: 100 }),
      404,
      'NOT_FOUND',
    );
  });

  it('lists artists with album counts, and shows one with its albums', async () => {
    const list = await get('/catalog/artists?pageSize=3');
    expect(list.status).toBe(200);
    expect(list.body.items).toHaveLength(3);
    expect(list.body.items[0]).toEqual({
      id: expect.any(Number),
      name: expect.any(String),
      albumCount: expect.any(Number),
    });
    const artist = await get(`/catalog/artists/${list.body.items[0].id}`);
    expect(artist.status).toBe(200);
    expect(artist.body.albums).toHaveLength(list.body.items[0].albumCount);
  });

  it('answers 404 for an unknown artist and 400 for a page size over 100', async () => {
    expectError(await get('/catalog/artists/99999999'), 404, 'NOT_FOUND');
    expectError(await get('/catalog/albums?pageSize=101'), 400, 'VALIDATION_FAILED', 'pageSize');
    expectError(await get('/catalog/artists?page=0'), 400, 'VALIDATION_FAILED', 'page');
  });
});
