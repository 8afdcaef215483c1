import { describeEachEngine } from '../../test/support/engines';
import { insertAlbum, insertArtist, insertCustomer } from './support/test-data';
import { startTestMonolith, type TestMonolith } from './support/test-monolith';

describeEachEngine('recommendation API', (engine) => {
  let monolith: TestMonolith;
  const ids: Record<string, number> = {};

  beforeAll(async () => {
    monolith = await startTestMonolith(engine, 'recommendation');
    const { db, http } = monolith;
    const artist = await insertArtist(db, 'Various');
    for (const [key, genre] of [
      ['jazzOwned', 'Jazz'],
      ['jazzHit', 'Jazz'],
      ['jazzQuiet', 'Jazz'],
      ['rock', 'Rock'],
    ] as const) {
      ids[key] = await insertAlbum(db, { artistId: artist, title: key, genre });
    }
    ids.buyer = await insertCustomer(db, 'buyer@example.com');
    ids.crowd = await insertCustomer(db, 'crowd@example.com');
    ids.newcomer = await insertCustomer(db, 'new@example.com');
    await http
      .post('/warehouse/orders')
      .send({ customerId: ids.buyer, lines: [{ albumId: ids.jazzOwned, quantity: 1 }] })
      .expect(201);
    await http
      .post('/warehouse/orders')
      .send({
        customerId: ids.crowd,
        lines: [
          { albumId: ids.jazzHit, quantity: 5 },
          { albumId: ids.rock, quantity: 9 },
        ],
      })
      .expect(201);
  });
  afterAll(() => monolith.close());

  it('recommends unowned albums of the genres a customer bought, most popular first, with a reason', async () => {
    const res = await monolith.http.get(`/recommendations/${ids.buyer}`).expect(200);
    expect(res.body.customerId).toBe(ids.buyer);
    expect(res.body.items.map((a: { id: number }) => a.id)).toEqual([ids.jazzHit, ids.jazzQuiet]);
    expect(res.body.items[0]).toMatchObject({
      title: 'jazzHit',
      genre: 'Jazz',
      artistName: 'Various',
      priceCents: 1000,
      reason: 'you bought Jazz albums',
    });
  });

  it('when a limit is given, then it is honoured; when a customer has no orders, then nothing is recommended', async () => {
    const limited = await monolith.http.get(`/recommendations/${ids.buyer}?limit=1`).expect(200);
    expect(limited.body.items).toHaveLength(1);
    await monolith.http
      .get(`/recommendations/${ids.newcomer}`)
      .expect(200, { customerId: ids.newcomer, items: [] });
  });

  it('when the customer is unknown, then the answer is 404', async () => {
    expect((await monolith.http.get('/recommendations/99999').expect(404)).body.error.code).toBe(
      'NOT_FOUND',
    );
  });
});
