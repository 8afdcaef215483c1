import { describeEachEngine } from '../../test/support/engines';
import { DatabaseCatalogAdapter } from '../src/catalog-port';
import { createFinanceServiceClient, WarehouseService } from '../src/warehouse';
import { type FakeFinance, startFakeFinance } from './support/fake-finance';
import { injectFailure, removeFailure } from './support/inject-failure';
import { countRows, insertAlbum, insertArtist, insertCustomer } from './support/test-data';
import { startTestMonolith, type TestMonolith } from './support/test-monolith';

// FINANCE_MODE=service: an order is a saga (local transaction, then finance-service), with a failure injected at each step.
describeEachEngine('order saga with finance-service', (engine) => {
  let finance: FakeFinance;
  let monolith: TestMonolith;
  let warehouse: WarehouseService;
  let artist: number;
  let customer: number;

  const stockOf = async (albumId: number) =>
    Number((await monolith.db('stock').where({ album_id: albumId }).first()).quantity);
  const statusOf = async (orderId: number) =>
    (await monolith.db('orders').where({ id: orderId }).first()).status;
  const latestOrderId = async () =>
    Number((await monolith.db('orders').max({ id: 'id' }).first())?.id);
  const placeOne = (albumId: number, quantity = 2) =>
    monolith.http
      .post('/warehouse/orders')
      .send({ customerId: customer, lines: [{ albumId, quantity }] });
  const newAlbum = async () =>
    insertAlbum(monolith.db, {
      artistId: artist,
      title: `Saga ${Math.random()}`,
      priceCents: 1000,
      stock: 10,
    });

  beforeAll(async () => {
    finance = await startFakeFinance();
    // Short enough to keep the "finance hangs" cases quick, long enough for a loaded CI machine (FINANCE_TIMEOUT_MS in production).
    const payments = createFinanceServiceClient({ baseUrl: finance.url, timeoutMs: 1000 });
    monolith = await startTestMonolith(engine, 'saga', { payments });
    warehouse = new WarehouseService(monolith.db, {
      catalog: new DatabaseCatalogAdapter(monolith.db),
      payments,
    });
    artist = await insertArtist(monolith.db, 'Saga Band');
    customer = await insertCustomer(monolith.db, 'saga@example.com', 'US');
  });
  afterAll(async () => {
    await monolith.close();
    await finance.close();
  });
  beforeEach(() => {
    finance.behaviour = { payment: 'ok', refund: 'ok' };
    finance.calls.length = 0;
  });

  it('when an order is placed, then the payment is booked at finance-service with an idempotency key and the correlation ID, and no local ledger is written', async () => {
    const album = await newAlbum();
    const res = await placeOne(album).set('x-correlation-id', 'saga-ok-1').expect(201);
    expect(res.body).toMatchObject({ status: 'placed', totalCents: 2000 });
    expect(finance.calls).toEqual([
      {
        kind: 'payment',
        orderId: res.body.id,
        idempotencyKey: `order-${res.body.id}-payment`,
        correlationId: 'saga-ok-1',
      },
    ]);
    expect(finance.booked.get(`${res.body.id}-payment`)).toEqual({ totalCents: 2000 });
    expect(await stockOf(album)).toBe(8);
    expect(await countRows(monolith.db, 'ledger_entries')).toBe(0);
  });

  it('when step 1 fails (before the local transaction commits), then nothing is written and finance is never called', async () => {
    const album = await newAlbum();
    const orders = await countRows(monolith.db, 'orders');
    await injectFailure(monolith.db, 'pick_instructions', 'insert');
    try {
      expect((await placeOne(album).expect(500)).body.error.code).toBe('INTERNAL');
    } finally {
      await removeFailure(monolith.db, 'pick_instructions');
    }
    expect(await countRows(monolith.db, 'orders')).toBe(orders);
    expect(await stockOf(album)).toBe(10);
    expect(finance.calls).toEqual([]);
  });

  it.each([
    ['fails with a 5xx', 'fail' as const, /failed with 500/],
    ['refuses the payment', 'refuse' as const, /refused the payment .*409/],
    ['times out', 'hang' as const, /did not answer within 1000ms/],
  ])(
    'when step 2 fails (finance %s), then 502 PAYMENT_FAILED, order cancelled, stock restored, picks cancelled, no money booked',
    async (_name, behaviour, reason) => {
      const album = await newAlbum();
      finance.behaviour.payment = behaviour;
      const res = await placeOne(album).expect(502);
      expect(res.body.error.code).toBe('PAYMENT_FAILED');
      expect(res.body.error.message).toMatch(reason);
      expect(res.body.error.message).toMatch(/the order was cancelled and its stock restored/);
      const orderId = await latestOrderId();
      expect(await statusOf(orderId)).toBe('cancelled');
      expect(await stockOf(album)).toBe(10);
      expect(
        await monolith.db('pick_instructions').where({ order_id: orderId }).pluck('status'),
      ).toEqual(['cancelled']);
      expect(finance.booked.has(`${orderId}-payment`)).toBe(false);
      // Only an unknown outcome (5xx, timeout) needs the void step; a refusal is known not to have booked anything.
      expect(finance.calls.map((c) => c.kind)).toEqual(
        behaviour === 'refuse' ? ['payment'] : ['payment', 'refund'],
      );
      expect(
        (await monolith.http.get(`/warehouse/orders/${orderId}`).expect(200)).body.status,
      ).toBe('cancelled');
    },
  );

  it('when step 2 booked the payment but answered 500, then the payment is voided by a refund before the order is cancelled', async () => {
    const album = await newAlbum();
    finance.behaviour.payment = 'book-then-fail';
    await placeOne(album).expect(502);
    const orderId = await latestOrderId();
    expect(await statusOf(orderId)).toBe('cancelled');
    expect(finance.booked.get(`${orderId}-payment`)).toEqual({ totalCents: 2000 });
    expect(finance.booked.get(`${orderId}-refund`)).toEqual({ totalCents: 2000 });
    expect(await stockOf(album)).toBe(10);
  });

  it('when compensation fails too, then the order is left payment_pending, and settling later completes it once finance is back', async () => {
    const album = await newAlbum();
    finance.behaviour.payment = 'refuse';
    await injectFailure(monolith.db, 'orders', 'update', "new.status = 'cancelled'");
    try {
      const res = await placeOne(album).expect(502);
      expect(res.body.error.message).toMatch(
        /undoing it failed too, so it is left payment_pending/,
      );
    } finally {
      await removeFailure(monolith.db, 'orders');
    }
    const orderId = await latestOrderId();
    expect(await statusOf(orderId)).toBe('payment_pending');
    expect(await stockOf(album)).toBe(8);
    finance.behaviour.payment = 'ok';
    const outcome = await warehouse.settlePendingOrders(0);
    expect(outcome).toEqual({ completed: [orderId], compensated: [], pending: [] });
    expect(await statusOf(orderId)).toBe('placed');
    expect(finance.booked.has(`${orderId}-payment`)).toBe(true);
  });

  it('when compensation fails too and finance still refuses, then settling later cancels the order', async () => {
    const album = await newAlbum();
    finance.behaviour.payment = 'refuse';
    await injectFailure(monolith.db, 'orders', 'update', "new.status = 'cancelled'");
    try {
      await placeOne(album).expect(502);
    } finally {
      await removeFailure(monolith.db, 'orders');
    }
    const orderId = await latestOrderId();
    expect(await warehouse.settlePendingOrders(60_000)).toEqual({
      completed: [],
      compensated: [],
      pending: [],
    });
    expect(await warehouse.settlePendingOrders(0)).toEqual({
      completed: [],
      compensated: [orderId],
      pending: [],
    });
    expect(await statusOf(orderId)).toBe('cancelled');
    expect(await stockOf(album)).toBe(10);
  });

  it('when the void itself fails (finance 5xx on both calls), then nothing is cancelled while a payment may exist, and the order stays payment_pending', async () => {
    const album = await newAlbum();
    finance.behaviour = { payment: 'fail', refund: 'fail' };
    const res = await placeOne(album).expect(502);
    expect(res.body.error.message).toMatch(/failed with 500.*left payment_pending/);
    const orderId = await latestOrderId();
    expect(await statusOf(orderId)).toBe('payment_pending');
    expect(await stockOf(album)).toBe(8);
    finance.behaviour = { payment: 'refuse', refund: 'ok' };
    expect(await warehouse.settlePendingOrders(0)).toEqual({
      completed: [],
      compensated: [orderId],
      pending: [],
    });
    expect(await stockOf(album)).toBe(10);
  });

  describe('returns', () => {
    const dispatchedOrder = async (album: number) => {
      const placed = await placeOne(album).expect(201);
      await monolith.http.post(`/warehouse/orders/${placed.body.id}/dispatch`).expect(200);
      finance.calls.length = 0;
      return Number(placed.body.id);
    };

    /** Finance takes refunds again: settling completes the pending return. */
    const expectReturnSettledOnceFinanceIsBack = async (orderId: number) => {
      finance.behaviour.refund = 'ok';
      expect(await warehouse.settlePendingOrders(0)).toEqual({
        completed: [orderId],
        compensated: [],
        pending: [],
      });
      expect(await statusOf(orderId)).toBe('returned');
    };

    it('when an order is returned, then the refund is booked at finance-service', async () => {
      const album = await newAlbum();
      const orderId = await dispatchedOrder(album);
      const res = await monolith.http.post(`/warehouse/orders/${orderId}/return`).expect(200);
      expect(res.body).toMatchObject({ status: 'returned', returnedAt: expect.any(String) });
      expect(finance.calls).toEqual([
        expect.objectContaining({ kind: 'refund', idempotencyKey: `order-${orderId}-refund` }),
      ]);
      expect(finance.booked.get(`${orderId}-refund`)).toEqual({ totalCents: 2000 });
      expect(await stockOf(album)).toBe(10);
    });

    it('when finance refuses the refund, then 502, the order is dispatched again and the restocked copies are taken back', async () => {
      const album = await newAlbum();
      const orderId = await dispatchedOrder(album);
      finance.behaviour.refund = 'refuse';
      const res = await monolith.http.post(`/warehouse/orders/${orderId}/return`).expect(502);
      expect(res.body.error).toMatchObject({
        code: 'PAYMENT_FAILED',
        message: expect.stringMatching(/the order is dispatched again/),
      });
      expect(await monolith.db('orders').where({ id: orderId }).first()).toMatchObject({
        status: 'dispatched',
        returned_at: null,
      });
      expect(await stockOf(album)).toBe(8);
    });

    it('when undoing a refused return fails (the copies were sold again), then the order stays refund_pending', async () => {
      const album = await newAlbum();
      const orderId = await dispatchedOrder(album);
      finance.behaviour.refund = 'refuse';
      await injectFailure(monolith.db, 'orders', 'update', "new.status = 'dispatched'");
      try {
        const res = await monolith.http.post(`/warehouse/orders/${orderId}/return`).expect(502);
        expect(res.body.error.message).toMatch(
          /undoing the return failed too, so it is left refund_pending/,
        );
      } finally {
        await removeFailure(monolith.db, 'orders');
      }
      expect(await statusOf(orderId)).toBe('refund_pending');
      expect(await stockOf(album)).toBe(10);
      await expectReturnSettledOnceFinanceIsBack(orderId);
    });

    it('when the refund times out, then the order stays refund_pending (a refund cannot be voided) and settling retries it', async () => {
      const album = await newAlbum();
      const orderId = await dispatchedOrder(album);
      finance.behaviour.refund = 'hang';
      const res = await monolith.http.post(`/warehouse/orders/${orderId}/return`).expect(502);
      expect(res.body.error.message).toMatch(
        /did not answer within 1000ms; the order is refund_pending/,
      );
      expect(await statusOf(orderId)).toBe('refund_pending');
      await expectReturnSettledOnceFinanceIsBack(orderId);
      expect(await stockOf(album)).toBe(10);
    });
  });
});
