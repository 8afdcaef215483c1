import type { Express } from 'express';
import type { Knex } from 'knex';
import request from 'supertest';
import {
  describeEachEngine,
  createMigratedDatabase,
  type MigratedDatabase,
} from '../../../test/support/engines';
import { createApp } from '../src/app';
import { createCatalogClient } from '../src/catalog-client';
import { FinanceRepository } from '../src/repository';
import { FinanceService } from '../src/service';
import { startStubCatalog, type StubCatalog } from './support/stub-catalog';

const money = (
  orderId: number,
  lines: [albumId: number, quantity: number, amountCents: number][],
  countryCode = 'DE',
) => {
  const subtotal = lines.reduce((sum, [, , amount]) => sum + amount, 0);
  const tax = Math.round(subtotal * 0.19);
  return {
    orderId,
    customerId: 7,
    countryCode,
    totalCents: subtotal + tax,
    taxCents: tax,
    lines: lines.map(([albumId, quantity, amountCents]) => ({ albumId, quantity, amountCents })),
  };
};

// No test here waits for the catalog client's timeout (the stub answers or refuses at once; the
// timeout itself is tested in catalog-client.test.ts): a short one would only let a loaded machine
// turn "answered 503" into "did not answer".
const CATALOG_TIMEOUT_MS = 10_000;

describeEachEngine('finance-service API', (engine) => {
  let temp: MigratedDatabase;
  let db: Knex;
  let app: Express;
  let catalog: StubCatalog;

  beforeAll(async () => {
    temp = await createMigratedDatabase(engine, 'finance-service', 'finance-api');
    db = temp.db;
    await db('countries').insert([
      { code: 'DE', name: 'Germany', tax_rate_bp: 1900, shipping_zone: 'eu' },
      { code: 'FR', name: 'France', tax_rate_bp: 2000, shipping_zone: 'eu' },
    ]);
    // Album 4 was sold but no longer exists in the catalog.
    catalog = await startStubCatalog([
      { id: 1, title: 'Kind of Blue', genre: 'jazz' },
      { id: 2, title: 'Nevermind', genre: 'rock' },
      { id: 3, title: 'Blue Train', genre: 'Jazz' },
    ]);
    app = createApp({
      db,
      catalog: createCatalogClient({ baseUrl: catalog.url, timeoutMs: CATALOG_TIMEOUT_MS }),
    });
    const post = (path: string, body: object) => request(app).post(path).send(body).expect(201);
    await post(
      '/finance/payments',
      money(1, [
        [1, 2, 2000],
        [2, 1, 1500],
      ]),
    );
    await post(
      '/finance/payments',
      money(
        2,
        [
          [3, 5, 4000],
          [4, 1, 900],
        ],
        'FR',
      ),
    );
    await post('/finance/payments', money(3, [[2, 3, 4500]]));
    await post('/finance/refunds', money(3, [[2, 3, 4500]]));
  });

  afterAll(async () => {
    await catalog?.close();
    await db?.destroy();
    await temp?.cleanup();
  });

  beforeEach(() => {
    catalog.mode = 'up';
    catalog.requests = [];
  });

  describe('recording payments and refunds (idempotent by orderId + kind)', () => {
    test('when a payment is new, then it is 201 with its lines; when the same request comes again, then it is 200 with the same entry', async () => {
      const first = await request(app)
        .post('/finance/payments')
        .send(money(10, [[1, 1, 1000]]))
        .expect(201);
      expect(first.body).toMatchObject({
        orderId: 10,
        kind: 'payment',
        amountCents: 1190,
        taxCents: 190,
        countryCode: 'DE',
        lines: [{ albumId: 1, quantity: 1, amountCents: 1000 }],
      });
      const again = await request(app)
        .post('/finance/payments')
        .send(money(10, [[1, 1, 1000]]))
        .expect(200);
      expect(again.body).toEqual(first.body);
      expect((await request(app).get('/finance/ledger?orderId=10')).body.total).toBe(1);
    });

    test('when the same key comes with different amounts, then it is 409 IDEMPOTENCY_CONFLICT', async () => {
      const res = await request(app)
        .post('/finance/payments')
        .send(money(10, [[1, 1, 999]]))
        .expect(409);
      expect(res.body.error).toMatchObject({ code: 'IDEMPOTENCY_CONFLICT', field: 'orderId' });
    });

    test('when a refund is recorded, then it is stored negated (quantities stay positive) and replays as 200', async () => {
      const refund = await request(app)
        .post('/finance/refunds')
        .send(money(10, [[1, 1, 1000]]))
        .expect(201);
      expect(refund.body).toMatchObject({
        kind: 'refund',
        amountCents: -1190,
        taxCents: -190,
        lines: [{ albumId: 1, quantity: 1, amountCents: -1000 }],
      });
      await request(app)
        .post('/finance/refunds')
        .send(money(10, [[1, 1, 1000]]))
        .expect(200);
    });

    test('when a refund has no payment, then it is 409 INVALID_STATE; when it is more than was paid, then 400', async () => {
      expect(
        (
          await request(app)
            .post('/finance/refunds')
            .send(money(99, [[1, 1, 100]]))
            .expect(409)
        ).body.error.code,
      ).toBe('INVALID_STATE');
      const tooMuch = await request(app)
        .post('/finance/refunds')
        .send(money(1, [[1, 2, 999_999]]))
        .expect(400);
      expect(tooMuch.body.error.field).toBe('totalCents');
    });

    test('when a payment reaches finance after its void, then it is refused and nothing stays booked', async () => {
      // The saga timed out on the payment, voided it (a refund before any payment) and cancelled the order.
      await request(app)
        .post('/finance/refunds')
        .send(money(77, [[1, 1, 100]]))
        .expect(409);
      const late = await request(app)
        .post('/finance/payments')
        .send(money(77, [[1, 1, 100]]))
        .expect(409);
      expect(late.body.error).toMatchObject({ code: 'INVALID_STATE', field: 'orderId' });
      expect(late.body.error.message).toMatch(/order 77 was voided at .*not booked/);
      const ledger = await request(app).get('/finance/ledger?orderId=77').expect(200);
      expect(ledger.body.total).toBe(0);
    });

    test('when a payment crosses its void, then it is refunded at once and refused', async () => {
      // The void landed between the payment's own check and its insert: simulate by voiding right after.
      const repository = new FinanceRepository(db);
      const realInsert = repository.insertEntry.bind(repository);
      jest.spyOn(repository, 'insertEntry').mockImplementationOnce(async (entry, lines) => {
        const id = await realInsert(entry, lines);
        await repository.insertVoid(entry.order_id, new Date().toISOString());
        return id;
      });
      const service = new FinanceService(
        repository,
        createCatalogClient({ baseUrl: catalog.url, timeoutMs: CATALOG_TIMEOUT_MS }),
      );
      await expect(service.record('payment', money(78, [[1, 1, 100]]))).rejects.toMatchObject({
        code: 'INVALID_STATE',
      });
      const entries = await db('ledger_entries').where({ order_id: 78 }).orderBy('id');
      expect(entries.map((e) => [e.kind, Number(e.amount_cents)])).toEqual([
        ['payment', 119],
        ['refund', -119],
      ]);
      // Leave the shared ledger as the later tests expect it.
      await db('ledger_lines')
        .whereIn(
          'ledger_entry_id',
          entries.map((e) => e.id),
        )
        .delete();
      await db('ledger_entries').where({ order_id: 78 }).delete();
    });

    test('when the country is unknown, then the payment is refused as the monolith refuses it', async () => {
      const res = await request(app)
        .post('/finance/payments')
        .send(money(79, [[1, 1, 100]], 'ZZ'))
        .expect(400);
      expect(res.body.error).toMatchObject({ code: 'VALIDATION_FAILED', field: 'countryCode' });
      expect(res.body.error.message).toContain('country ZZ is not known');
    });

    test.each([
      ['text/plain', 'hello', 'is text/plain'],
      ['application/x-www-form-urlencoded', 'orderId=1', 'is application/x-www-form-urlencoded'],
      [undefined, 'x', 'has no Content-Type'],
    ])(
      'when the body is %s, then the answer is 415 naming it and asking for JSON',
      async (type, body, says) => {
        let call = request(app).post('/finance/payments');
        call = type ? call.set('content-type', type) : call.unset('content-type');
        const res = await call.send(Buffer.from(body));
        expect(res.status).toBe(415);
        expect(res.body.error).toMatchObject({ code: 'UNSUPPORTED_MEDIA_TYPE', field: 'body' });
        expect(res.body.error.message).toContain(`request body ${says}`);
        expect(res.body.error.message).toContain('Content-Type: application/json');
      },
    );

    test.each(['null', '"string"', '[1]'])(
      'when the JSON is %s, then the answer is 400 with an example of a payment, not of an album',
      async (raw) => {
        const res = await request(app)
          .post('/finance/payments')
          .set('content-type', 'application/json')
          .send(raw)
          .expect(400);
        expect(res.body.error).toMatchObject({ code: 'VALIDATION_FAILED', field: 'body' });
        expect(res.body.error.message).toMatch(/body must be a JSON object.*"orderId":1/);
        expect(res.body.error.message).not.toContain('title');
      },
    );

    test.each([
      [{ ...money(20, [[1, 1, 1]]), lines: [] }, 'lines'],
      [{ ...money(20, [[1, 1, 1]]), countryCode: 'de' }, 'countryCode'],
      [{ ...money(20, [[1, 0, 1]]) }, 'lines[0].quantity'],
      [{ ...money(20, [[1, 1, 1]]), totalCents: '5' }, 'totalCents'],
      [{ ...money(20, [[1, 1, 1]]), orderId: undefined }, 'orderId'],
    ])(
      'when the body is bad (case %#), then the answer is 400 naming the field',
      async (body, field) => {
        const res = await request(app).post('/finance/payments').send(body).expect(400);
        expect(res.body.error).toMatchObject({ code: 'VALIDATION_FAILED', field });
      },
    );

    test('when the JSON is bad, then the answer is 400 INVALID_JSON', async () => {
      const res = await request(app)
        .post('/finance/payments')
        .set('content-type', 'application/json')
        .send('{');
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('INVALID_JSON');
    });
  });

  test('the ledger pages and filters by order and kind', async () => {
    const refunds = await request(app).get('/finance/ledger?kind=refund&pageSize=1').expect(200);
    expect(refunds.body).toMatchObject({
      total: 2,
      page: 1,
      pageSize: 1,
      items: [{ orderId: 3, kind: 'refund' }],
    });
    expect((await request(app).get('/finance/ledger?pageSize=101')).body.error.field).toBe(
      'pageSize',
    );
    expect((await request(app).get('/finance/ledger?kind=gift')).body.error.field).toBe('kind');
  });

  describe('invoices', () => {
    test('carry titles from the catalog service and the refunded amount, passing the correlation id on', async () => {
      const res = await request(app)
        .get('/finance/invoices/3')
        .set('x-correlation-id', 'inv-3')
        .expect(200);
      expect(res.body).toEqual({
        orderId: 3,
        customerId: 7,
        countryCode: 'DE',
        lines: [{ albumId: 2, title: 'Nevermind', quantity: 3, amountCents: 4500 }],
        subtotalCents: 4500,
        taxCents: 855,
        totalCents: 5355,
        refundedCents: 5355,
      });
      expect(catalog.requests).toEqual([{ ids: '2', correlationId: 'inv-3' }]);
    });

    test("when a line's album is gone, then the line keeps its money with title null and albumMissing", async () => {
      const res = await request(app).get('/finance/invoices/2').expect(200);
      expect(res.body.lines).toEqual([
        { albumId: 3, title: 'Blue Train', quantity: 5, amountCents: 4000 },
        { albumId: 4, title: null, quantity: 1, amountCents: 900, albumMissing: true },
      ]);
    });

    test('when the order is unknown, then 404; when the catalog is down, then 503 CATALOG_UNAVAILABLE', async () => {
      expect((await request(app).get('/finance/invoices/12345')).status).toBe(404);
      expect((await request(app).get('/finance/invoices/abc')).body.error.field).toBe('orderId');
      catalog.mode = 'down';
      const res = await request(app).get('/finance/invoices/1').expect(503);
      expect(res.body.error.code).toBe('CATALOG_UNAVAILABLE');
    });
  });

  describe('best-sellers report (albums named by the catalog service)', () => {
    test('ranks by revenue, keeping sold albums the catalog lost (albumMissing)', async () => {
      const res = await request(app).get('/finance/reports/best-sellers?to=2999-01-01').expect(200);
      expect(res.body).toEqual([
        { albumId: 3, title: 'Blue Train', genre: 'Jazz', units: 5, revenueCents: 4000 },
        { albumId: 1, title: 'Kind of Blue', genre: 'jazz', units: 2, revenueCents: 2000 },
        { albumId: 2, title: 'Nevermind', genre: 'rock', units: 1, revenueCents: 1500 },
        { albumId: 4, title: null, genre: null, units: 1, revenueCents: 900, albumMissing: true },
      ]);
    });

    test('ranks by units with a limit, and filters a genre case-insensitively (unknown albums left out)', async () => {
      const units = await request(app)
        .get('/finance/reports/best-sellers?by=units&limit=2')
        .expect(200);
      expect(units.body.map((r: { albumId: number }) => r.albumId)).toEqual([3, 1]);
      const jazz = await request(app).get('/finance/reports/best-sellers?genre=JAZZ').expect(200);
      expect(jazz.body.map((r: { albumId: number }) => r.albumId)).toEqual([3, 1]);
    });

    test('when the date range is before any sale, then the report is empty; when the dates are bad, then their field is named', async () => {
      expect(
        (
          await request(app)
            .get('/finance/reports/best-sellers?from=2000-01-01&to=2000-12-31')
            .expect(200)
        ).body,
      ).toEqual([]);
      expect(
        (await request(app).get('/finance/reports/best-sellers?from=2026-02-30')).body.error.field,
      ).toBe('from');
      expect(
        (await request(app).get('/finance/reports/best-sellers?from=2026-02-01&to=2026-01-01')).body
          .error.field,
      ).toBe('to');
    });

    test('when the catalog service is down, then the report is 503, not a partial answer', async () => {
      catalog.mode = 'down';
      const res = await request(app).get('/finance/reports/best-sellers').expect(503);
      expect(res.body.error).toEqual({
        code: 'CATALOG_UNAVAILABLE',
        message: expect.stringContaining('answered 503'),
      });
    });
  });

  test('revenue by country uses the service’s own copy of countries, net of tax', async () => {
    const res = await request(app).get('/finance/reports/revenue-by-country').expect(200);
    expect(res.body).toEqual([
      {
        countryCode: 'FR',
        countryName: 'France',
        taxRateBp: 2000,
        revenueCents: 4900,
        taxCents: 931,
      },
      {
        countryCode: 'DE',
        countryName: 'Germany',
        taxRateBp: 1900,
        revenueCents: 3500,
        taxCents: 665,
      },
    ]);
  });

  test('when a route is unknown, then it is 404 in the common error shape, with a correlation id', async () => {
    const res = await request(app).get('/finance/nothing').expect(404);
    expect(res.body.error.code).toBe('NOT_FOUND');
    expect(res.headers['x-correlation-id']).toBeTruthy();
  });
});
