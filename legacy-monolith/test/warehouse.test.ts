import { describeEachEngine } from '../../test/support/engines';
import { countRows, insertAlbum, insertArtist, insertCustomer } from './support/test-data';
import { startTestMonolith, type TestMonolith } from './support/test-monolith';

describeEachEngine('warehouse API', (engine) => {
  let monolith: TestMonolith;
  let gb: number;
  let us: number;
  let cheap: number;
  let rare: number;

  const stockOf = async (albumId: number) =>
    Number((await monolith.db('stock').where({ album_id: albumId }).first()).quantity);

  beforeAll(async () => {
    monolith = await startTestMonolith(engine, 'warehouse');
    const artist = await insertArtist(monolith.db, 'Portishead');
    cheap = await insertAlbum(monolith.db, {
      artistId: artist,
      title: 'Dummy',
      priceCents: 333,
      stock: 50,
    });
    rare = await insertAlbum(monolith.db, {
      artistId: artist,
      title: 'Third',
      priceCents: 2000,
      stock: 1,
    });
    gb = await insertCustomer(monolith.db, 'gb@example.com', 'GB');
    us = await insertCustomer(monolith.db, 'us@example.com', 'US');
  });
  afterAll(() => monolith.close());

  it('places an order: tax by country rounded half up, stock taken, pick list and ledger written', async () => {
    // 3 × 333 = 999 cents; 20% tax = 199.8 → 200.
    const res = await monolith.http
      .post('/warehouse/orders')
      .send({ customerId: gb, lines: [{ albumId: cheap, quantity: 3 }] })
      .expect(201);
    expect(res.body).toMatchObject({
      customerId: gb,
      status: 'placed',
      countryCode: 'GB',
      subtotalCents: 999,
      taxCents: 200,
      totalCents: 1199,
      dispatchedAt: null,
      returnedAt: null,
      lines: [{ albumId: cheap, quantity: 3, unitPriceCents: 333 }],
    });
    expect(await stockOf(cheap)).toBe(47);
    expect(await monolith.db('pick_instructions').where({ order_id: res.body.id })).toEqual([
      expect.objectContaining({
        album_id: cheap,
        quantity: 3,
        bin: `B-${cheap}`,
        status: 'pending',
      }),
    ]);
    const entry = await monolith.db('ledger_entries').where({ order_id: res.body.id }).first();
    expect(entry).toMatchObject({
      kind: 'payment',
      amount_cents: 1199,
      tax_cents: 200,
      country_code: 'GB',
    });
    expect(await monolith.db('ledger_lines').where({ ledger_entry_id: entry.id })).toEqual([
      expect.objectContaining({ album_id: cheap, quantity: 3, amount_cents: 999 }),
    ]);
  });

  it('when the same album is given twice, then it is merged into one line', async () => {
    const res = await monolith.http
      .post('/warehouse/orders')
      .send({
        customerId: us,
        lines: [
          { albumId: cheap, quantity: 1 },
          { albumId: cheap, quantity: 2 },
        ],
      })
      .expect(201);
    expect(res.body).toMatchObject({
      taxCents: 0,
      totalCents: 999,
      lines: [{ albumId: cheap, quantity: 3 }],
    });
  });

  it('when an order goes beyond stock, then it is refused with 409 OUT_OF_STOCK naming the album, and nothing is written', async () => {
    const orders = await countRows(monolith.db, 'orders');
    const res = await monolith.http
      .post('/warehouse/orders')
      .send({
        customerId: gb,
        lines: [
          { albumId: cheap, quantity: 1 },
          { albumId: rare, quantity: 2 },
        ],
      })
      .expect(409);
    expect(res.body.error).toMatchObject({ code: 'OUT_OF_STOCK', field: 'lines[1].quantity' });
    expect(res.body.error.message).toContain('Third');
    expect(await countRows(monolith.db, 'orders')).toBe(orders);
    expect(await stockOf(cheap)).toBe(44);
  });

  it("shows an order and lists a customer's orders page by page", async () => {
    const placed = await monolith.http
      .post('/warehouse/orders')
      .send({ customerId: us, lines: [{ albumId: cheap, quantity: 1 }] })
      .expect(201);
    const one = await monolith.http.get(`/warehouse/orders/${placed.body.id}`).expect(200);
    expect(one.body).toEqual(placed.body);
    const page = await monolith.http
      .get(`/warehouse/orders?customerId=${us}&pageSize=1&page=2`)
      .expect(200);
    expect(page.body).toMatchObject({
      total: 2,
      page: 2,
      pageSize: 1,
      items: [{ id: placed.body.id, lines: [{ albumId: cheap }] }],
    });
  });

  it('when a placed order is dispatched once and then returned, then it is restocked and refunded', async () => {
    const placed = await monolith.http
      .post('/warehouse/orders')
      .send({ customerId: gb, lines: [{ albumId: cheap, quantity: 2 }] })
      .expect(201);
    const id = placed.body.id;
    const stockAfterOrder = await stockOf(cheap);
    expect(
      (await monolith.http.post(`/warehouse/orders/${id}/return`).expect(409)).body.error.code,
    ).toBe('INVALID_STATE');
    const dispatched = await monolith.http.post(`/warehouse/orders/${id}/dispatch`).expect(200);
    expect(dispatched.body).toMatchObject({
      status: 'dispatched',
      dispatchedAt: expect.any(String),
    });
    expect(
      (await monolith.http.post(`/warehouse/orders/${id}/dispatch`).expect(409)).body.error.code,
    ).toBe('INVALID_STATE');
    const returned = await monolith.http.post(`/warehouse/orders/${id}/return`).expect(200);
    expect(returned.body).toMatchObject({ status: 'returned', returnedAt: expect.any(String) });
    expect(await stockOf(cheap)).toBe(stockAfterOrder + 2);
    const refund = await monolith
      .db('ledger_entries')
      .where({ order_id: id, kind: 'refund' })
      .first();
    expect(refund).toMatchObject({
      amount_cents: -placed.body.totalCents,
      tax_cents: -placed.body.taxCents,
    });
    await monolith.http.post(`/warehouse/orders/${id}/return`).expect(409);
  });

  it('when an order is unknown, then the answer is 404', async () => {
    for (const path of ['/warehouse/orders/99999/dispatch', '/warehouse/orders/99999/return']) {
      expect((await monolith.http.post(path).expect(404)).body.error.code).toBe('NOT_FOUND');
    }
    await monolith.http.get('/warehouse/orders/99999').expect(404);
  });

  it('sets and reads the stock of an album', async () => {
    await monolith.http
      .put(`/warehouse/stock/${rare}`)
      .send({ quantity: 7, bin: 'A-1' })
      .expect(200, { albumId: rare, quantity: 7, bin: 'A-1' });
    await monolith.http
      .get(`/warehouse/stock/${rare}`)
      .expect(200, { albumId: rare, quantity: 7, bin: 'A-1' });
    await monolith.http.put('/warehouse/stock/99999').send({ quantity: 1, bin: 'A-1' }).expect(404);
  });

  it('when orders race for the last copies, then the album is never oversold', async () => {
    const artist = await insertArtist(monolith.db, 'Racers');
    const scarce = await insertAlbum(monolith.db, { artistId: artist, title: 'Scarce', stock: 3 });
    const other = await insertAlbum(monolith.db, { artistId: artist, title: 'Other', stock: 100 });
    // Lines in opposite album orders on purpose: stock rows must still be locked in one order.
    const bodies = Array.from({ length: 8 }, (_, i) => ({
      customerId: gb,
      lines:
        i % 2
          ? [
              { albumId: scarce, quantity: 1 },
              { albumId: other, quantity: 1 },
            ]
          : [
              { albumId: other, quantity: 1 },
              { albumId: scarce, quantity: 1 },
            ],
    }));
    const statuses = await Promise.all(
      bodies.map(async (body) => (await monolith.http.post('/warehouse/orders').send(body)).status),
    );
    expect(statuses.filter((s) => s === 201)).toHaveLength(3);
    expect(statuses.filter((s) => s === 409)).toHaveLength(5);
    expect(await stockOf(scarce)).toBe(0);
    expect(await stockOf(other)).toBe(97);
  });

  it('when the finance step fails inside the transaction, then nothing of the order is written', async () => {
    const tables = ['orders', 'order_lines', 'pick_instructions', 'ledger_entries'];
    const before = await Promise.all(tables.map((t) => countRows(monolith.db, t)));
    const stockBefore = await stockOf(cheap);
    // Hiding ledger_lines makes the last insert of placeOrder (finance's) fail for real, in the database.
    await monolith.db.schema.renameTable('ledger_lines', 'ledger_lines_hidden');
    try {
      const res = await monolith.http
        .post('/warehouse/orders')
        .send({ customerId: gb, lines: [{ albumId: cheap, quantity: 1 }] })
        .expect(500);
      expect(res.body).toEqual({ error: { code: 'INTERNAL', message: 'internal error' } });
    } finally {
      await monolith.db.schema.renameTable('ledger_lines_hidden', 'ledger_lines');
    }
    expect(await Promise.all(tables.map((t) => countRows(monolith.db, t)))).toEqual(before);
    expect(await stockOf(cheap)).toBe(stockBefore);
  });
});
