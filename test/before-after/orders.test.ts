import { eventually, expectError, get, post, put } from './client';
import { describeSuite } from './suite';
import { createCustomer, createStockedAlbum, placeOrder } from './fixtures';

function taxOf(subtotal: number, rateBp: number): number {
  return Math.floor((subtotal * rateBp + 5000) / 10000);
}

describeSuite('orders', () => {
  it('places an order priced with the customer country tax, and reads it back', async () => {
    const customer = await createCustomer('DE');
    const album = await createStockedAlbum(10, 1000);
    const reply = await placeOrder(customer.id, [{ albumId: album.id, quantity: 3 }]);
    expect(reply.status).toBe(201);
    expect(reply.body).toMatchObject({
      customerId: customer.id,
      status: 'placed',
      countryCode: 'DE',
      subtotalCents: 3000,
      taxCents: taxOf(3000, 1900),
      totalCents: 3000 + taxOf(3000, 1900),
    });
    expect(reply.body.lines).toEqual([{ albumId: album.id, quantity: 3, unitPriceCents: 1000 }]);
    const read = await get(`/warehouse/orders/${reply.body.id}`);
    expect(read.body).toEqual(reply.body);
    expect((await get(`/warehouse/stock/${album.id}`)).body.quantity).toBe(7);
  });

  it('merges the same album given twice into one line', async () => {
    const customer = await createCustomer();
    const album = await createStockedAlbum(10);
    const reply = await placeOrder(customer.id, [
      { albumId: album.id, quantity: 1 },
      { albumId: album.id, quantity: 2 },
    ]);
    expect(reply.status).toBe(201);
    expect(reply.body.lines).toEqual([
      { albumId: album.id, quantity: 3, unitPriceCents: album.priceCents },
    ]);
  });

  it('lists a customer orders, newest pages included', async () => {
    const customer = await createCustomer();
    const album = await createStockedAlbum(10);
    const first = await placeOrder(customer.id, [{ albumId: album.id, quantity: 1 }]);
    const second = await placeOrder(customer.id, [{ albumId: album.id, quantity: 1 }]);
    const list = await get(`/warehouse/orders?customerId=${customer.id}`);
    expect(list.status).toBe(200);
    expect(list.body.total).toBe(2);
    expect(list.body.items.map((o: { id: number }) => o.id).sort()).toEqual(
      [first.body.id, second.body.id].sort(),
    );
  });

  it('refuses to sell more than is in stock and leaves the stock alone', async () => {
    const customer = await createCustomer();
    const album = await createStockedAlbum(2);
    const reply = await placeOrder(customer.id, [{ albumId: album.id, quantity: 3 }]);
    expectError(reply, 409, 'OUT_OF_STOCK', 'lines[0].quantity');
    expect(reply.body.error.message).toContain(String(album.id));
    expect((await get(`/warehouse/stock/${album.id}`)).body.quantity).toBe(2);
    expect((await get(`/warehouse/orders?customerId=${customer.id}`)).body.total).toBe(0);
  });

  it('dispatches a placed order once', async () => {
    const customer = await createCustomer();
    const album = await createStockedAlbum(5);
    const order = await placeOrder(customer.id, [{ albumId: album.id, quantity: 1 }]);
    const dispatched = await post(`/warehouse/orders/${order.body.id}/dispatch`);
    expect(dispatched.status).toBe(200);
    expect(dispatched.body.status).toBe('dispatched');
    expect(dispatched.body.dispatchedAt).toEqual(expect.any(String));
    expectError(await post(`/warehouse/orders/${order.body.id}/dispatch`), 409, 'INVALID_STATE');
  });

  it('returns a dispatched order: restocked and refunded', async () => {
    const customer = await createCustomer('FR');
    const album = await createStockedAlbum(5, 2000);
    const order = await placeOrder(customer.id, [{ albumId: album.id, quantity: 2 }]);
    expectError(await post(`/warehouse/orders/${order.body.id}/return`), 409, 'INVALID_STATE');
    await post(`/warehouse/orders/${order.body.id}/dispatch`);
    const returned = await post(`/warehouse/orders/${order.body.id}/return`);
    expect(returned.status).toBe(200);
    expect(returned.body.status).toBe('returned');
    expect((await get(`/warehouse/stock/${album.id}`)).body.quantity).toBe(5);
    await eventually(async () => {
      const refunds = await get(`/finance/ledger?orderId=${order.body.id}&kind=refund`);
      expect(refunds.body.items).toHaveLength(1);
      expect(refunds.body.items[0].amountCents).toBe(-order.body.totalCents);
    });
  });

  it.each([
    [
      (c: number, a: number) => ({ customerId: c, lines: [{ albumId: a, quantity: 0 }] }),
      'lines[0].quantity',
    ],
    [
      (c: number, a: number) => ({ customerId: c, lines: [{ albumId: a, quantity: -1 }] }),
      'lines[0].quantity',
    ],
    [
      (c: number, a: number) => ({ customerId: c, lines: [{ albumId: a, quantity: 1.5 }] }),
      'lines[0].quantity',
    ],
    [
      (c: number) => ({ customerId: c, lines: [{ albumId: 99999999, quantity: 1 }] }),
      'lines[0].albumId',
    ],
    [
      (_c: number, a: number) => ({ customerId: 99999999, lines: [{ albumId: a, quantity: 1 }] }),
      'customerId',
    ],
    [(c: number) => ({ customerId: c, lines: [] }), 'lines'],
    [
      (_c: number, a: number) => ({ customerId: '7', lines: [{ albumId: a, quantity: 1 }] }),
      'customerId',
    ],
  ])('refuses a bad order (case %#) naming the field %s', async (makeBody, field) => {
    const customer = await createCustomer();
    const album = await createStockedAlbum(5);
    expectError(
      await post('/warehouse/orders', makeBody(customer.id, album.id)),
      400,
      'VALIDATION_FAILED',
      field,
    );
    expect((await get(`/warehouse/stock/${album.id}`)).body.quantity).toBe(5);
  });

  it('answers 404 for unknown orders and 400 without a customer to list', async () => {
    expectError(await get('/warehouse/orders/99999999'), 404, 'NOT_FOUND');
    expectError(await post('/warehouse/orders/99999999/dispatch'), 404, 'NOT_FOUND');
    expectError(await get('/warehouse/orders'), 400, 'VALIDATION_FAILED', 'customerId');
  });

  it('sets and reads stock, refusing a negative quantity', async () => {
    const album = await createStockedAlbum(1);
    const set = await put(`/warehouse/stock/${album.id}`, { quantity: 42, bin: 'Z-9-9' });
    expect(set.body).toEqual({ albumId: album.id, quantity: 42, bin: 'Z-9-9' });
    expect((await get(`/warehouse/stock/${album.id}`)).body).toEqual(set.body);
    expectError(
      await put(`/warehouse/stock/${album.id}`, { quantity: -1, bin: 'Z-9-9' }),
      400,
      'VALIDATION_FAILED',
      'quantity',
    );
  });
});
