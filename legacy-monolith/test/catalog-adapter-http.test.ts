import { describeEachEngine } from '../../test/support/engines';
import { HttpCatalogAdapter } from '../src/catalog-port';
import { type RunningCatalogService, startCatalogService } from './support/catalog-service';
import { insertCatalogRows } from './support/catalog-rows';
import { countRows, insertCustomer } from './support/test-data';
import { startTestMonolith, type TestMonolith } from './support/test-monolith';

// CATALOG_ADAPTER=http: finance, warehouse and recommendation read albums from the catalog service, not the monolith's table.
describeEachEngine('monolith with the http catalog adapter', (engine) => {
  let catalog: RunningCatalogService;
  let monolith: TestMonolith;
  let customer: number;

  beforeAll(async () => {
    catalog = await startCatalogService(engine, async (db) => {
      await insertCatalogRows(db);
      // The service's data differs from the monolith's on purpose, so every answer shows where it came from.
      await db('albums').where({ id: 1 }).update({ price_cents: 500, title: 'Album 1 (service)' });
    });
    monolith = await startTestMonolith(engine, 'catalog-http', {
      catalog: new HttpCatalogAdapter({ baseUrl: catalog.url, timeoutMs: 2000 }),
    });
    await insertCatalogRows(monolith.db);
    await monolith
      .db('stock')
      .insert([1, 2, 3].map((id) => ({ album_id: id, quantity: 10, bin: `B-${id}` })));
    customer = await insertCustomer(monolith.db, 'http@example.com', 'US');
  });
  afterAll(async () => {
    await monolith.close();
    await catalog.close();
  });

  it("prices orders, titles invoices and ranks best sellers with the catalog service's albums", async () => {
    const order = await monolith.http
      .post('/warehouse/orders')
      .set('x-correlation-id', 'http-adapter-1')
      .send({
        customerId: customer,
        lines: [
          { albumId: 1, quantity: 2 },
          { albumId: 3, quantity: 1 },
        ],
      })
      .expect(201);
    expect(order.body.lines).toEqual([
      { albumId: 1, quantity: 2, unitPriceCents: 500 },
      { albumId: 3, quantity: 1, unitPriceCents: 1002 },
    ]);
    expect(catalog.correlationIds).toContain('http-adapter-1');
    const invoice = await monolith.http.get(`/finance/invoices/${order.body.id}`).expect(200);
    expect(invoice.body.lines.map((l: { title: string }) => l.title)).toEqual([
      'Album 1 (service)',
      'Album 3',
    ]);
    const best = await monolith.http.get('/finance/reports/best-sellers?by=units').expect(200);
    expect(best.body).toEqual([
      { albumId: 1, title: 'Album 1 (service)', genre: 'Rock', units: 2, revenueCents: 1000 },
      { albumId: 3, title: 'Album 3', genre: 'Jazz', units: 1, revenueCents: 1002 },
    ]);
    const jazz = await monolith.http.get('/finance/reports/best-sellers?genre=jazz').expect(200);
    expect(jazz.body.map((b: { albumId: number }) => b.albumId)).toEqual([3]);
  });

  it("recommends from the catalog service's albums: sold ones first, then by id", async () => {
    const other = await insertCustomer(monolith.db, 'jazz@example.com', 'US');
    await monolith.http
      .post('/warehouse/orders')
      .send({ customerId: other, lines: [{ albumId: 2, quantity: 1 }] })
      .expect(201);
    // `other` bought Rock (album 2); album 1 is the best-selling Rock album they do not own, then unsold Rock by id.
    const picks = await monolith.http.get(`/recommendations/${other}?limit=3`).expect(200);
    expect(picks.body.items.map((i: { id: number }) => i.id)).toEqual([1, 4, 5]);
    expect(picks.body.items[0]).toMatchObject({
      title: 'Album 1 (service)',
      reason: 'you bought Rock albums',
    });
  });

  it('when the catalog service is down, then the answer is 503 CATALOG_UNAVAILABLE and nothing is written', async () => {
    await catalog.close();
    const orders = await countRows(monolith.db, 'orders');
    const res = await monolith.http
      .post('/warehouse/orders')
      .send({ customerId: customer, lines: [{ albumId: 2, quantity: 1 }] })
      .expect(503);
    expect(res.body.error.code).toBe('CATALOG_UNAVAILABLE');
    expect(res.body.error.message).toMatch(
      /catalog service at http:\/\/127\.0\.0\.1:\d+ is unreachable/,
    );
    expect(await countRows(monolith.db, 'orders')).toBe(orders);
    expect(
      (await monolith.http.get('/finance/reports/best-sellers').expect(503)).body.error.code,
    ).toBe('CATALOG_UNAVAILABLE');
    catalog.close = async () => undefined;
  });
});
