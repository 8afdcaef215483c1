import { describeEachEngine } from '../../test/support/engines';
import { insertAlbum, insertArtist, insertCustomer } from './support/test-data';
import { startTestMonolith, type TestMonolith } from './support/test-monolith';

describeEachEngine('finance API', (engine) => {
  let monolith: TestMonolith;
  const ids: Record<string, number> = {};

  const order = async (customerId: number, lines: { albumId: number; quantity: number }[]) =>
    (await monolith.http.post('/warehouse/orders').send({ customerId, lines }).expect(201)).body;

  beforeAll(async () => {
    monolith = await startTestMonolith(engine, 'finance');
    const { db } = monolith;
    const artist = await insertArtist(db, 'Björk');
    ids.debut = await insertAlbum(db, {
      artistId: artist,
      title: 'Debut',
      genre: 'Pop',
      priceCents: 1000,
    });
    ids.post = await insertAlbum(db, {
      artistId: artist,
      title: 'Post',
      genre: 'Pop',
      priceCents: 3000,
    });
    ids.homo = await insertAlbum(db, {
      artistId: artist,
      title: 'Homogenic',
      genre: 'Electronic',
      priceCents: 500,
    });
    ids.gb = await insertCustomer(db, 'gb@example.com', 'GB');
    ids.de = await insertCustomer(db, 'de@example.com', 'DE');
    // GB: Debut ×3 (3000 + 600 tax). DE: Post ×1 (3000 + 570 tax), Homogenic ×4 (2000 + 380 tax), returned later.
    ids.first = (await order(ids.gb, [{ albumId: ids.debut, quantity: 3 }])).id;
    ids.second = (await order(ids.de, [{ albumId: ids.post, quantity: 1 }])).id;
    ids.third = (await order(ids.de, [{ albumId: ids.homo, quantity: 4 }])).id;
    await monolith.http.post(`/warehouse/orders/${ids.third}/dispatch`).expect(200);
    await monolith.http.post(`/warehouse/orders/${ids.third}/return`).expect(200);
  });
  afterAll(() => monolith.close());

  it('pages ledger entries with their lines, filtered by order and kind', async () => {
    const all = await monolith.http.get('/finance/ledger?pageSize=2').expect(200);
    expect(all.body).toMatchObject({ total: 4, page: 1, pageSize: 2 });
    expect(all.body.items[0]).toEqual({
      id: expect.any(Number),
      orderId: ids.first,
      customerId: ids.gb,
      kind: 'payment',
      amountCents: 3600,
      taxCents: 600,
      countryCode: 'GB',
      recordedAt: expect.any(String),
      lines: [{ albumId: ids.debut, quantity: 3, amountCents: 3000 }],
    });
    const refunds = await monolith.http
      .get(`/finance/ledger?orderId=${ids.third}&kind=refund`)
      .expect(200);
    expect(refunds.body).toMatchObject({
      total: 1,
      items: [
        {
          kind: 'refund',
          amountCents: -2380,
          taxCents: -380,
          lines: [{ quantity: 4, amountCents: -2000 }],
        },
      ],
    });
  });

  it('builds an invoice with album titles and the refunded amount', async () => {
    const res = await monolith.http.get(`/finance/invoices/${ids.third}`).expect(200);
    expect(res.body).toEqual({
      orderId: ids.third,
      customerId: ids.de,
      countryCode: 'DE',
      lines: [{ albumId: ids.homo, title: 'Homogenic', quantity: 4, amountCents: 2000 }],
      subtotalCents: 2000,
      taxCents: 380,
      totalCents: 2380,
      refundedCents: 2380,
    });
    expect((await monolith.http.get('/finance/invoices/99999').expect(404)).body.error.code).toBe(
      'NOT_FOUND',
    );
  });

  it('ranks best sellers by revenue or units, net of refunds, optionally by genre', async () => {
    const byRevenue = await monolith.http.get('/finance/reports/best-sellers').expect(200);
    expect(byRevenue.body).toEqual([
      { albumId: ids.debut, title: 'Debut', genre: 'Pop', units: 3, revenueCents: 3000 },
      { albumId: ids.post, title: 'Post', genre: 'Pop', units: 1, revenueCents: 3000 },
    ]);
    const byUnits = await monolith.http
      .get('/finance/reports/best-sellers?by=units&genre=pop&limit=1')
      .expect(200);
    expect(byUnits.body.map((r: { title: string }) => r.title)).toEqual(['Debut']);
    const electronic = await monolith.http
      .get('/finance/reports/best-sellers?genre=Electronic')
      .expect(200);
    expect(electronic.body).toEqual([]);
  });

  it('limits reports to a date range (a date-only "to" includes the whole day)', async () => {
    const today = new Date().toISOString().slice(0, 10);
    const inRange = await monolith.http
      .get(`/finance/reports/best-sellers?from=${today}&to=${today}`)
      .expect(200);
    expect(inRange.body).toHaveLength(2);
    const before = await monolith.http
      .get('/finance/reports/best-sellers?from=2020-01-01&to=2020-12-31T23:59:59Z')
      .expect(200);
    expect(before.body).toEqual([]);
  });

  it('reports revenue and tax by country, net of refunds', async () => {
    const res = await monolith.http.get('/finance/reports/revenue-by-country').expect(200);
    expect(res.body).toEqual([
      {
        countryCode: 'DE',
        countryName: 'Germany',
        taxRateBp: 1900,
        revenueCents: 3000,
        taxCents: 570,
      },
      {
        countryCode: 'GB',
        countryName: 'United Kingdom',
        taxRateBp: 2000,
        revenueCents: 3000,
        taxCents: 600,
      },
    ]);
    const none = await monolith.http
      .get('/finance/reports/revenue-by-country?to=2020-01-01')
      .expect(200);
    expect(none.body).toEqual([]);
  });
});
