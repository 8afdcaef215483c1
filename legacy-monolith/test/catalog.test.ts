import { describeEachEngine } from '../../test/support/engines';
import { insertAlbum, insertArtist, insertCustomer } from './support/test-data';
import { startTestMonolith, type TestMonolith } from './support/test-monolith';

describeEachEngine('catalog API', (engine) => {
  let monolith: TestMonolith;
  const ids: Record<string, number> = {};

  beforeAll(async () => {
    monolith = await startTestMonolith(engine, 'catalog');
    const { db } = monolith;
    ids.miles = await insertArtist(db, 'Miles Davis');
    ids.nirvana = await insertArtist(db, 'Nirvana');
    ids.silent = await insertArtist(db, 'Silent Artist');
    ids.kindOfBlue = await insertAlbum(db, {
      artistId: ids.miles,
      title: 'Kind of Blue',
      genre: 'Jazz',
      priceCents: 1299,
      tracks: ['So What', 'Freddie Freeloader'],
    });
    ids.bitches = await insertAlbum(db, {
      artistId: ids.miles,
      title: 'Bitches Brew',
      genre: 'Jazz',
      priceCents: 1599,
    });
    ids.percent = await insertAlbum(db, {
      artistId: ids.miles,
      title: '100% Jazz_Hits',
      genre: 'Jazz',
    });
    ids.nevermind = await insertAlbum(db, {
      artistId: ids.nirvana,
      title: 'Nevermind',
      genre: 'Rock',
    });
    ids.inUtero = await insertAlbum(db, {
      artistId: ids.nirvana,
      title: 'In Utero',
      genre: 'Rock',
    });
    // Bitches Brew outsells the other jazz albums, so it leads "you may also like".
    const buyer = await insertCustomer(db, 'fan@example.com');
    const [order] = await db('orders')
      .insert({
        customer_id: buyer,
        country_code: 'GB',
        status: 'placed',
        subtotal_cents: 0,
        tax_cents: 0,
        total_cents: 0,
        placed_at: '2026-01-02T00:00:00.000Z',
      })
      .returning('id');
    await db('order_lines').insert({
      order_id: order.id ?? order,
      album_id: ids.bitches,
      quantity: 3,
      unit_price_cents: 1599,
    });
  });
  afterAll(() => monolith.close());

  it('lists albums as summaries in id order with paging', async () => {
    const res = await monolith.http.get('/catalog/albums?page=1&pageSize=2').expect(200);
    expect(res.body).toMatchObject({ total: 5, page: 1, pageSize: 2 });
    expect(res.body.items).toEqual([
      {
        id: ids.kindOfBlue,
        title: 'Kind of Blue',
        artistId: ids.miles,
        artistName: 'Miles Davis',
        genre: 'Jazz',
        releaseYear: 1999,
        priceCents: 1299,
      },
      expect.objectContaining({ id: ids.bitches, title: 'Bitches Brew' }),
    ]);
    const second = await monolith.http.get('/catalog/albums?page=3&pageSize=2').expect(200);
    expect(second.body.items.map((a: { id: number }) => a.id)).toEqual([ids.inUtero]);
  });

  it('filters albums by genre (ignoring case), artist and title substring', async () => {
    const rock = await monolith.http.get('/catalog/albums?genre=rock').expect(200);
    expect(rock.body.items.map((a: { title: string }) => a.title)).toEqual([
      'Nevermind',
      'In Utero',
    ]);
    const byArtist = await monolith.http
      .get(`/catalog/albums?artistId=${ids.miles}&q=BLUE`)
      .expect(200);
    expect(byArtist.body).toMatchObject({ total: 1, items: [{ id: ids.kindOfBlue }] });
  });

  it.each([
    ['%', ['100% Jazz_Hits']],
    ['_', ['100% Jazz_Hits']],
    ["' OR 1=1 --", []],
    ['\\', []],
  ])('when the title search holds %j, then it is treated as literal text', async (q, titles) => {
    const res = await monolith.http.get('/catalog/albums').query({ q }).expect(200);
    expect(res.body.items.map((a: { title: string }) => a.title)).toEqual(titles);
    expect(res.body.total).toBe(titles.length);
  });

  it('shows an album with artist, tracks and best-selling albums of the same genre', async () => {
    const res = await monolith.http.get(`/catalog/albums/${ids.kindOfBlue}`).expect(200);
    expect(res.body).toMatchObject({
      id: ids.kindOfBlue,
      title: 'Kind of Blue',
      genre: 'Jazz',
      priceCents: 1299,
      artist: { id: ids.miles, name: 'Miles Davis' },
      tracks: [
        { position: 1, title: 'So What', durationSeconds: 180 },
        { position: 2, title: 'Freddie Freeloader', durationSeconds: 181 },
      ],
    });
    expect(res.body.youMayAlsoLike.map((a: { id: number }) => a.id)).toEqual([
      ids.bitches,
      ids.percent,
    ]);
  });

  it('creates an album with numbered tracks', async () => {
    const res = await monolith.http
      .post('/catalog/albums')
      .send({
        title: 'Bleach',
        artistId: ids.nirvana,
        genre: 'Rock',
        releaseYear: 1989,
        priceCents: 999,
        tracks: [{ title: 'Blew', durationSeconds: 175 }],
      })
      .expect(201);
    expect(res.body).toMatchObject({
      title: 'Bleach',
      artist: { id: ids.nirvana },
      tracks: [{ position: 1, title: 'Blew', durationSeconds: 175 }],
    });
    await monolith.http.get(`/catalog/albums/${res.body.id}`).expect(200);
  });

  it('changes a price', async () => {
    const res = await monolith.http
      .patch(`/catalog/albums/${ids.inUtero}/price`)
      .send({ priceCents: 1850 })
      .expect(200);
    expect(res.body).toMatchObject({ id: ids.inUtero, priceCents: 1850 });
  });

  it('lists artists with album counts and shows one artist with albums', async () => {
    const list = await monolith.http.get('/catalog/artists?pageSize=3').expect(200);
    expect(list.body).toMatchObject({ total: 3, page: 1, pageSize: 3 });
    expect(list.body.items).toEqual([
      { id: ids.miles, name: 'Miles Davis', albumCount: 3 },
      { id: ids.nirvana, name: 'Nirvana', albumCount: expect.any(Number) },
      { id: ids.silent, name: 'Silent Artist', albumCount: 0 },
    ]);
    const one = await monolith.http.get(`/catalog/artists/${ids.miles}`).expect(200);
    expect(one.body.albums.map((a: { title: string }) => a.title)).toEqual([
      'Kind of Blue',
      'Bitches Brew',
      '100% Jazz_Hits',
    ]);
  });

  it('creates an artist, who then has an empty album list', async () => {
    const created = await monolith.http
      .post('/catalog/artists')
      .send({ name: 'Aphex Twin' })
      .expect(201);
    expect(created.body).toEqual({ id: expect.any(Number), name: 'Aphex Twin', albums: [] });
    await monolith.http.get(`/catalog/artists/${created.body.id}`).expect(200, created.body);
  });

  it('when an album or artist is unknown, then the answer is 404 NOT_FOUND', async () => {
    for (const path of ['/catalog/albums/99999', '/catalog/artists/99999']) {
      const res = await monolith.http.get(path).expect(404);
      expect(res.body.error.code).toBe('NOT_FOUND');
    }
    await monolith.http.patch('/catalog/albums/99999/price').send({ priceCents: 1 }).expect(404);
  });
});
