import { describeEachEngine } from '../../test/support/engines';
import { insertAlbum, insertArtist, insertCustomer } from './support/test-data';
import { startTestMonolith, type TestMonolith } from './support/test-monolith';

interface OutboxEvent {
  id: string;
  type: string;
  version: number;
  occurredAt: string;
  correlationId: string;
  source: string;
  entity: { type: string; id: string; link: string };
  data: Record<string, unknown>;
}

describeEachEngine('warehouse events (outbox)', (engine) => {
  let monolith: TestMonolith;
  let customer: number;
  let album: number;
  let scarce: number;

  const outbox = async (): Promise<OutboxEvent[]> =>
    (await monolith.db('event_outbox').select('body').orderBy('id')).map((row) =>
      JSON.parse(row.body),
    );

  beforeAll(async () => {
    monolith = await startTestMonolith(engine, 'events');
    const artist = await insertArtist(monolith.db, 'Björk');
    album = await insertAlbum(monolith.db, {
      artistId: artist,
      title: 'Post',
      priceCents: 1000,
      stock: 10,
    });
    scarce = await insertAlbum(monolith.db, {
      artistId: artist,
      title: 'Vespertine',
      priceCents: 1500,
      stock: 1,
    });
    customer = await insertCustomer(monolith.db, 'bjork@example.com', 'GB');
  });
  afterAll(() => monolith.close());
  beforeEach(() => monolith.db('event_outbox').delete());

  it('when an order is placed, then pick list, payment and order placed are recorded in its transaction, with the request correlation ID', async () => {
    const res = await monolith.http
      .post('/warehouse/orders')
      .set('x-correlation-id', 'checkout-77')
      .send({ customerId: customer, lines: [{ albumId: album, quantity: 2 }] })
      .expect(201);
    const events = await outbox();
    expect(events.map((e) => e.type)).toEqual([
      'warehouse.pick-list.issued',
      'finance.payment.booked',
      'warehouse.order.placed',
    ]);
    for (const event of events)
      expect(event).toMatchObject({
        version: 1,
        correlationId: 'checkout-77',
        source: 'legacy-monolith',
      });
    const placed = events[2];
    expect(placed.entity).toEqual({
      type: 'order',
      id: String(res.body.id),
      link: `/warehouse/orders/${res.body.id}`,
    });
    expect(placed.occurredAt).toBe(res.body.placedAt);
    expect(placed.data).toEqual({
      orderId: res.body.id,
      customerId: customer,
      countryCode: 'GB',
      subtotalCents: 2000,
      taxCents: 400,
      totalCents: 2400,
      lines: [{ albumId: album, quantity: 2, unitPriceCents: 1000, amountCents: 2000 }],
    });
    expect(events[1].data).toMatchObject({
      orderId: res.body.id,
      amountCents: 2400,
      taxCents: 400,
    });
  });

  it('when an order fails, then no event is written (nothing is announced that did not happen)', async () => {
    await monolith.http
      .post('/warehouse/orders')
      .send({ customerId: customer, lines: [{ albumId: scarce, quantity: 5 }] })
      .expect(409);
    expect(await outbox()).toEqual([]);
  });

  it('when an order is dispatched and returned, then each step is announced and the return carries the refund', async () => {
    const { body: order } = await monolith.http
      .post('/warehouse/orders')
      .send({ customerId: customer, lines: [{ albumId: album, quantity: 1 }] })
      .expect(201);
    await monolith.http.post(`/warehouse/orders/${order.id}/dispatch`).expect(200);
    const { body: returned } = await monolith.http
      .post(`/warehouse/orders/${order.id}/return`)
      .expect(200);
    const events = await outbox();
    expect(events.map((e) => e.type)).toEqual([
      'warehouse.pick-list.issued',
      'finance.payment.booked',
      'warehouse.order.placed',
      'warehouse.order.dispatched',
      'finance.refund.booked',
      'warehouse.order.returned',
    ]);
    expect(events[5].occurredAt).toBe(returned.returnedAt);
    expect(events[5].data).toEqual({
      orderId: order.id,
      customerId: customer,
      countryCode: 'GB',
      refundCents: 1200,
      taxCents: 200,
      lines: [{ albumId: album, quantity: 1, amountCents: 1000 }],
    });
    expect(events[4].data).toMatchObject({ amountCents: -1200, taxCents: -200 });
    expect(new Set(events.map((e) => e.id)).size).toBe(6);
  });
});
