import type { Express } from 'express';
import type { Knex } from 'knex';
import request from 'supertest';
import {
  describeEachEngine,
  createMigratedDatabase,
  type MigratedDatabase,
} from '../../../test/support/engines';
import { createApp } from '../src/app';
import { insertCatalogFixture, resetSequences } from './support/catalog-fixture';

describeEachEngine('catalog-service API', (engine) => {
  let temp: MigratedDatabase;
  let db: Knex;
  let app: Express;

  beforeAll(async () => {
    temp = await createMigratedDatabase(engine, 'catalog-service', 'catalog-api');
    db = temp.db;
    await insertCatalogFixture(db);
    await resetSequences(db, ['artists', 'albums', 'tracks']);
    app = createApp({ db });
  });

  afterAll(async () => {
    await db?.destroy();
    await temp?.cleanup();
  });

  test('lists albums in id order with artist names and paging totals', async () => {
    const res = await request(app).get('/catalog/albums?page=2&pageSize=2').expect(200);
    expect(res.body).toEqual({
      items: [
        {
          id: 3,
          title: '100% Pure_Blue',
          artistId: 2,
          artistName: 'Nina Simone',
          genre: 'soul',
          releaseYear: 1965,
          priceCents: 999,
        },
        {
          id: 4,
          title: "It's Pastel Blues",
          artistId: 2,
          artistName: 'Nina Simone',
          genre: 'soul',
          releaseYear: 1965,
          priceCents: 1099,
        },
      ],
      total: 6,
      page: 2,
      pageSize: 2,
    });
  });

  test('filters by genre (any case) and artist together', async () => {
    const res = await request(app).get('/catalog/albums?genre=JAZZ&artistId=2').expect(200);
    expect(res.body.items.map((a: { id: number }) => a.id)).toEqual([6]);
    expect(res.body.total).toBe(1);
  });

  test.each([
    ['blue', [1, 3, 4, 6]],
    ['BLUE', [1, 3, 4, 6]],
    ['%', [3]],
    ['_', [3]],
    ["'", [4]],
    ["' OR 1=1 --", []],
    ['\\', []],
  ])('q=%j matches titles literally and case-insensitively', async (q, ids) => {
    const res = await request(app).get('/catalog/albums').query({ q }).expect(200);
    expect(res.body.items.map((a: { id: number }) => a.id)).toEqual(ids);
  });

  test('looks albums up by ids (the finance client extension)', async () => {
    const res = await request(app).get('/catalog/albums?ids=5,2,999').expect(200);
    expect(res.body.items.map((a: { id: number }) => a.id)).toEqual([2, 5]);
  });

  test('album detail has the artist, tracks by position and same-genre suggestions', async () => {
    const res = await request(app).get('/catalog/albums/1').expect(200);
    expect(res.body).toMatchObject({
      id: 1,
      title: 'Kind of Blue',
      genre: 'jazz',
      releaseYear: 1959,
      priceCents: 1299,
      artist: { id: 1, name: 'Miles Davis' },
    });
    expect(res.body.tracks).toEqual([
      { position: 1, title: 'So What', durationSeconds: 562 },
      { position: 2, title: 'Freddie Freeloader', durationSeconds: 589 },
    ]);
    expect(res.body.youMayAlsoLike.map((a: { id: number }) => a.id)).toEqual([2, 5, 6]);
    expect(Object.keys(res.body.youMayAlsoLike[0]).sort()).toEqual([
      'artistId',
      'artistName',
      'genre',
      'id',
      'priceCents',
      'releaseYear',
      'title',
    ]);
  });

  test('creates an album with numbered tracks, then reads it back', async () => {
    const body = {
      title: 'Pastel',
      artistId: 3,
      genre: 'ambient',
      releaseYear: 2024,
      priceCents: 1500,
      tracks: [
        { title: 'One', durationSeconds: 60 },
        { title: 'Two', durationSeconds: 90 },
      ],
    };
    const created = await request(app).post('/catalog/albums').send(body).expect(201);
    expect(created.body).toMatchObject({
      title: 'Pastel',
      artist: { id: 3, name: 'Quiet Artist' },
      youMayAlsoLike: [],
    });
    expect(created.body.tracks).toEqual([
      { position: 1, title: 'One', durationSeconds: 60 },
      { position: 2, title: 'Two', durationSeconds: 90 },
    ]);
    const read = await request(app).get(`/catalog/albums/${created.body.id}`).expect(200);
    expect(read.body).toEqual(created.body);
  });

  test('creates an artist', async () => {
    const res = await request(app)
      .post('/catalog/artists')
      .send({ name: 'New Artist' })
      .expect(201);
    expect(res.body).toEqual({ id: expect.any(Number), name: 'New Artist', albums: [] });
    expect((await request(app).get(`/catalog/artists/${res.body.id}`)).body.name).toBe(
      'New Artist',
    );
  });

  test('changes a price', async () => {
    const res = await request(app)
      .patch('/catalog/albums/2/price')
      .send({ priceCents: 1999 })
      .expect(200);
    expect(res.body.priceCents).toBe(1999);
    expect((await request(app).get('/catalog/albums/2')).body.priceCents).toBe(1999);
  });

  test('lists artists with album counts, and one artist with albums', async () => {
    const list = await request(app).get('/catalog/artists?pageSize=2').expect(200);
    expect(list.body).toEqual({
      items: [
        { id: 1, name: 'Miles Davis', albumCount: 3 },
        { id: 2, name: 'Nina Simone', albumCount: 3 },
      ],
      total: expect.any(Number),
      page: 1,
      pageSize: 2,
    });
    const artist = await request(app).get('/catalog/artists/2').expect(200);
    expect(artist.body.albums.map((a: { id: number }) => a.id)).toEqual([3, 4, 6]);
  });

  const valid = { title: 'X', artistId: 1, genre: 'jazz', releaseYear: 2000, priceCents: 100 };
  test.each([
    ['GET', '/catalog/albums/abc', undefined, 400, 'id'],
    ['GET', '/catalog/albums/0', undefined, 400, 'id'],
    ['GET', '/catalog/albums?pageSize=101', undefined, 400, 'pageSize'],
    ['GET', '/catalog/albums?page=0', undefined, 400, 'page'],
    ['GET', '/catalog/albums?artistId=x', undefined, 400, 'artistId'],
    ['GET', '/catalog/albums?ids=1,a', undefined, 400, 'ids'],
    ['GET', '/catalog/artists?pageSize=-1', undefined, 400, 'pageSize'],
    ['GET', '/catalog/artists/abc', undefined, 400, 'id'],
    ['POST', '/catalog/albums', { ...valid, title: '' }, 400, 'title'],
    ['POST', '/catalog/albums', { ...valid, artistId: '1' }, 400, 'artistId'],
    ['POST', '/catalog/albums', { ...valid, artistId: 999 }, 400, 'artistId'],
    ['POST', '/catalog/albums', { ...valid, priceCents: -1 }, 400, 'priceCents'],
    ['POST', '/catalog/albums', { ...valid, releaseYear: 19.5 }, 400, 'releaseYear'],
    ['POST', '/catalog/albums', { ...valid, genre: undefined }, 400, 'genre'],
    [
      'POST',
      '/catalog/albums',
      { ...valid, tracks: [{ title: 'a', durationSeconds: 0 }] },
      400,
      'tracks[0].durationSeconds',
    ],
    ['POST', '/catalog/albums', { ...valid, releaseYear: 1899 }, 400, 'releaseYear'],
    ['POST', '/catalog/artists', { name: 7 }, 400, 'name'],
    ['GET', `/catalog/albums?q=${'x'.repeat(101)}`, undefined, 400, 'q'],
    ['POST', '/catalog/albums', [valid], 400, 'body'],
    ['PATCH', '/catalog/albums/1/price', { priceCents: 'free' }, 400, 'priceCents'],
    ['PATCH', '/catalog/albums/abc/price', { priceCents: 1 }, 400, 'id'],
  ])('%s %s → %i naming %s', async (method, path, body, status, field) => {
    const req = request(app)[method.toLowerCase() as 'get' | 'post' | 'patch'](path);
    const res = body === undefined ? await req : await req.send(body as object);
    expect(res.status).toBe(status);
    expect(res.body.error).toMatchObject({ code: 'VALIDATION_FAILED', field });
    expect(res.body.error.message).toContain(field.split(/[.[]/)[0]);
  });

  test.each([
    ['GET', '/catalog/albums/999'],
    ['GET', '/catalog/artists/999'],
    ['PATCH', '/catalog/albums/999/price'],
    ['GET', '/catalog/nothing-here'],
  ])('%s %s → 404 NOT_FOUND', async (method, path) => {
    const res = await request(app)
      [method.toLowerCase() as 'get' | 'patch'](path)
      .send({ priceCents: 1 });
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('NOT_FOUND');
  });

  test.each([
    ['text/plain', 'is text/plain'],
    ['application/x-www-form-urlencoded', 'is application/x-www-form-urlencoded'],
    ['', 'has no Content-Type'],
  ])(
    'when a body is sent as "%s", then the answer is 415 naming it and asking for JSON',
    async (type, says) => {
      let call = request(app).post('/catalog/albums');
      call = type ? call.set('content-type', type) : call.unset('content-type');
      const res = await call.send(Buffer.from('title=Blue'));
      expect(res.status).toBe(415);
      expect(res.body.error).toEqual({
        code: 'UNSUPPORTED_MEDIA_TYPE',
        field: 'body',
        message: `request body ${says}: send JSON with the header "Content-Type: application/json"`,
      });
    },
  );

  test('when a price change is JSON null, then the answer gives an example of a price change, not of an album', async () => {
    const res = await request(app)
      .patch('/catalog/albums/1/price')
      .set('content-type', 'application/json')
      .send('null');
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'VALIDATION_FAILED', field: 'body' });
    expect(res.body.error.message).toBe(
      'body must be a JSON object, not null; e.g. {"priceCents":1}',
    );
  });

  test.each([
    ['NUL', 'Blue\u0000'],
    ['a right-to-left override', '\u202eeulB'],
    ['a line feed', 'Blue\nRed'],
  ])('when an album title has %s, then it is refused as in the monolith', async (_what, title) => {
    const res = await request(app)
      .post('/catalog/albums')
      .send({ title, artistId: 1, genre: 'Folk', releaseYear: 1971, priceCents: 1299 });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'VALIDATION_FAILED', field: 'title' });
    expect(res.body.error.message).toMatch(/must not contain control or bidi-override characters/);
  });

  test('when the JSON is bad, then the answer is 400 INVALID_JSON without a stack', async () => {
    const res = await request(app)
      .post('/catalog/albums')
      .set('content-type', 'application/json')
      .send('{"title":');
    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      error: { code: 'INVALID_JSON', message: expect.any(String), field: 'body' },
    });
  });

  test('when a client sends a correlation id, then it is echoed; when none, then one is generated', async () => {
    const echoed = await request(app).get('/health').set('x-correlation-id', 'abc-123').expect(200);
    expect(echoed.headers['x-correlation-id']).toBe('abc-123');
    const generated = await request(app).get('/catalog/albums/999');
    expect(generated.headers['x-correlation-id']).toMatch(/^[0-9a-f-]{36}$/);
  });
});
