import http, { type Server } from 'node:http';
import type { Knex } from 'knex';
import type { Engine } from '../../common/src/database';
import {
  createMigratedDatabase,
  describeEachEngine,
  type MigratedDatabase,
} from '../support/engines';
// The real finance-service, in-process: the saga is proven against the API it will call in production.
import { createApp as createFinanceApp } from '../../extracted/finance-service/src/app';
import { createCatalogClient } from '../../extracted/finance-service/src/catalog-client';
import { createFinanceServiceClient } from '../../legacy-monolith/src/warehouse';
import { listenOnLoopback, stopServer } from '../../legacy-monolith/test/support/catalog-service';
import {
  insertAlbum,
  insertArtist,
  insertCustomer,
} from '../../legacy-monolith/test/support/test-data';
import {
  startTestMonolith,
  type TestMonolith,
} from '../../legacy-monolith/test/support/test-monolith';

/** finance-service on a scratch database with the countries it books for (not yet listening). */
async function startFinanceService(engine: Engine, label: string) {
  const financeDb = await createMigratedDatabase(engine, 'finance-service', label);
  const db = financeDb.db;
  // The service's own copy of the monolith's countries (synced in the demo stack).
  await db('countries').insert({
    code: 'GB',
    name: 'United Kingdom',
    tax_rate_bp: 2000,
    shipping_zone: 'uk',
  });
  // Payments and refunds never ask the catalog; nothing listens there.
  const server = http.createServer(
    createFinanceApp({
      db,
      catalog: createCatalogClient({ baseUrl: 'http://127.0.0.1:9', timeoutMs: 100 }),
    }),
  );
  return { financeDb, db, server };
}

describeEachEngine('order saga against the real finance-service', (engine) => {
  let financeDb: MigratedDatabase;
  let db: Knex;
  let server: Server;
  let monolith: TestMonolith;
  let album: number;
  let customer: number;

  beforeAll(async () => {
    ({ financeDb, db, server } = await startFinanceService(engine, 'saga-finance'));
    const url = await listenOnLoopback(server);
    monolith = await startTestMonolith(engine, 'saga-real', {
      payments: createFinanceServiceClient({ baseUrl: url, timeoutMs: 3000 }),
    });
    album = await insertAlbum(monolith.db, {
      artistId: await insertArtist(monolith.db, 'Real'),
      title: 'Real Money',
      priceCents: 1500,
      stock: 5,
    });
    customer = await insertCustomer(monolith.db, 'real@example.com', 'GB');
  });
  afterAll(async () => {
    await monolith.close();
    await stopServer(server).catch(() => undefined);
    await db.destroy();
    await financeDb.cleanup();
  });

  it("books the payment and, after a return, the refund in finance-service's own ledger", async () => {
    const placed = await monolith.http
      .post('/warehouse/orders')
      .send({ customerId: customer, lines: [{ albumId: album, quantity: 2 }] })
      .expect(201);
    expect(placed.body).toMatchObject({
      status: 'placed',
      subtotalCents: 3000,
      taxCents: 600,
      totalCents: 3600,
    });
    const orderId = placed.body.id;
    expect(await db('ledger_entries').where({ order_id: orderId })).toEqual([
      expect.objectContaining({
        kind: 'payment',
        amount_cents: 3600,
        tax_cents: 600,
        country_code: 'GB',
      }),
    ]);
    await monolith.http.post(`/warehouse/orders/${orderId}/dispatch`).expect(200);
    await monolith.http.post(`/warehouse/orders/${orderId}/return`).expect(200);
    const refund = await db('ledger_entries').where({ order_id: orderId, kind: 'refund' }).first();
    expect(refund).toMatchObject({ amount_cents: -3600, tax_cents: -600 });
    expect(await monolith.db('ledger_entries').count({ n: '*' }).first()).toEqual({
      n: engine === 'postgres' ? '0' : 0,
    });
  });

  it('cancels the order when finance-service is down (connection refused: nothing can have been booked)', async () => {
    await stopServer(server);
    const res = await monolith.http
      .post('/warehouse/orders')
      .send({ customerId: customer, lines: [{ albumId: album, quantity: 1 }] })
      .expect(502);
    expect(res.body.error.message).toMatch(
      /is unreachable \(ECONNREFUSED\).*the order was cancelled/,
    );
    expect(await monolith.db('orders').orderBy('id', 'desc').first()).toMatchObject({
      status: 'cancelled',
    });
    expect(Number((await monolith.db('stock').where({ album_id: album }).first()).quantity)).toBe(
      5,
    );
  });
});

describeEachEngine('a payment that reaches finance-service after the saga voided it', (engine) => {
  let financeDb: MigratedDatabase;
  let db: Knex;
  let finance: Server;
  let relay: Server;
  let monolith: TestMonolith;
  let voidReachedFinance: () => void = () => undefined;
  let lateAnswer: (status: number) => void = () => undefined;
  const latePayment = new Promise<number>((resolve) => {
    lateAnswer = resolve;
  });

  beforeAll(async () => {
    ({ financeDb, db, server: finance } = await startFinanceService(engine, 'saga-late'));
    const financeUrl = await listenOnLoopback(finance);
    // A slow network on the way to finance: the payment is held back until the saga's void of it
    // has been answered by finance, everything else passes at once. Nothing answers the payment
    // before its timeout (the void only follows the timeout), so it is late whatever the load.
    const voided = new Promise<void>((resolve) => {
      voidReachedFinance = resolve;
    });
    relay = http.createServer(async (req, res) => {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const late = req.url === '/finance/payments';
      if (late) await voided;
      const answer = await fetch(`${financeUrl}${req.url}`, {
        method: req.method,
        headers: { 'content-type': 'application/json' },
        body: Buffer.concat(chunks),
      });
      if (req.url === '/finance/refunds') voidReachedFinance();
      if (late) lateAnswer(answer.status);
      res.writeHead(answer.status, { 'content-type': 'application/json' });
      res.end(await answer.text());
    });
    const relayUrl = await listenOnLoopback(relay);
    monolith = await startTestMonolith(engine, 'saga-late-monolith', {
      // The same timeout bounds the void, which must get through on a loaded machine; the
      // payment's timeout is certain at any value, so this number is not what is tested.
      payments: createFinanceServiceClient({ baseUrl: relayUrl, timeoutMs: 1000 }),
    });
  });
  afterAll(async () => {
    await monolith.close();
    await stopServer(relay).catch(() => undefined);
    await stopServer(finance).catch(() => undefined);
    await db.destroy();
    await financeDb.cleanup();
  });

  it('is refused, so a cancelled order is never charged', async () => {
    const album = await insertAlbum(monolith.db, {
      artistId: await insertArtist(monolith.db, 'Late'),
      title: 'Late Money',
      priceCents: 1500,
      stock: 5,
    });
    const customer = await insertCustomer(monolith.db, 'late@example.com', 'GB');
    const res = await monolith.http
      .post('/warehouse/orders')
      .send({ customerId: customer, lines: [{ albumId: album, quantity: 1 }] })
      .expect(502);
    expect(res.body.error.message).toMatch(/did not answer within 1000ms.*the order was cancelled/);
    const order = await monolith.db('orders').orderBy('id', 'desc').first();
    expect(order.status).toBe('cancelled');
    // The payment the saga gave up on still travels; wait until finance has answered it.
    expect(await latePayment).toBe(409);
    expect(await db('ledger_entries').where({ order_id: order.id })).toEqual([]);
  });
});
