import { eventually, expectError, get, post } from './client';
import { describeSuite } from './suite';
import { createCustomer, createStockedAlbum, placeOrder } from './fixtures';

const today = () => new Date().toISOString().slice(0, 10);

describeSuite('finance', () => {
  it('books a payment for every placed order, with its lines', async () => {
    const customer = await createCustomer('IE');
    const album = await createStockedAlbum(5, 1500);
    const order = await placeOrder(customer.id, [{ albumId: album.id, quantity: 2 }]);
    await eventually(async () => {
      const ledger = await get(`/finance/ledger?orderId=${order.body.id}`);
      expect(ledger.status).toBe(200);
      expect(ledger.body.items).toHaveLength(1);
      expect(ledger.body.items[0]).toMatchObject({
        orderId: order.body.id,
        customerId: customer.id,
        kind: 'payment',
        amountCents: order.body.totalCents,
        taxCents: order.body.taxCents,
        countryCode: 'IE',
      });
      expect(ledger.body.items[0].lines).toEqual([
        { albumId: album.id, quantity: 2, amountCents: 3000 },
      ]);
    });
  });

  it('books no money for a country the monolith does not know (ZZ), whoever serves /finance', async () => {
    // Before, the monolith has no endpoint for it; after, finance-service must refuse what the monolith refused.
    const orderId = 2_000_000_000 + Math.floor(Math.random() * 100_000_000);
    const reply = await post('/finance/payments', {
      orderId,
      customerId: 1,
      countryCode: 'ZZ',
      totalCents: 1190,
      taxCents: 190,
      lines: [{ albumId: 1, quantity: 1, amountCents: 1000 }],
    });
    expect(reply.status).toBeGreaterThanOrEqual(400);
    expect(reply.status).toBeLessThan(500);
    if (reply.body.error.field !== undefined) expect(reply.body.error.field).toBe('countryCode');
    const ledger = await get(`/finance/ledger?orderId=${orderId}`);
    expect(ledger.body.total).toBe(0);
  });

  it('pages the ledger and filters it by kind', async () => {
    const page = await get('/finance/ledger?pageSize=7&kind=refund');
    expect(page.status).toBe(200);
    expect(page.body.items.length).toBeLessThanOrEqual(7);
    expect(page.body.total).toBeGreaterThan(0);
    for (const entry of page.body.items) expect(entry.kind).toBe('refund');
    expectError(await get('/finance/ledger?kind=gift'), 400, 'VALIDATION_FAILED', 'kind');
  });

  it('issues an invoice that matches the order', async () => {
    const customer = await createCustomer('GB');
    const album = await createStockedAlbum(5, 1250);
    const order = await placeOrder(customer.id, [{ albumId: album.id, quantity: 2 }]);
    await eventually(async () => {
      const invoice = await get(`/finance/invoices/${order.body.id}`);
      expect(invoice.status).toBe(200);
      expect(invoice.body).toEqual({
        orderId: order.body.id,
        customerId: customer.id,
        countryCode: 'GB',
        lines: [{ albumId: album.id, title: album.title, quantity: 2, amountCents: 2500 }],
        subtotalCents: 2500,
        taxCents: 500,
        totalCents: 3000,
        refundedCents: 0,
      });
    });
  });

  it('answers 404 for the invoice of an unknown order', async () => {
    expectError(await get('/finance/invoices/99999999'), 404, 'NOT_FOUND');
  });

  it('ranks best-sellers by revenue, most first', async () => {
    const reply = await get('/finance/reports/best-sellers');
    expect(reply.status).toBe(200);
    expect(reply.body.length).toBe(10);
    expect(Object.keys(reply.body[0]).sort()).toEqual([
      'albumId',
      'genre',
      'revenueCents',
      'title',
      'units',
    ]);
    const revenue = reply.body.map((r: { revenueCents: number }) => r.revenueCents);
    expect(revenue).toEqual([...revenue].sort((a, b) => b - a));
  });

  it('ranks best-sellers by units, within a genre, with a limit', async () => {
    const reply = await get('/finance/reports/best-sellers?by=units&genre=rock&limit=5');
    expect(reply.status).toBe(200);
    expect(reply.body.length).toBeLessThanOrEqual(5);
    const units = reply.body.map((r: { units: number }) => r.units);
    expect(units).toEqual([...units].sort((a, b) => b - a));
    for (const row of reply.body) expect(row.genre).toBe('rock');
  });

  it("counts a new sale in today's best-sellers", async () => {
    const customer = await createCustomer();
    const album = await createStockedAlbum(50, 99900, 'classical');
    await placeOrder(customer.id, [{ albumId: album.id, quantity: 40 }]);
    await eventually(async () => {
      const reply = await get(
        `/finance/reports/best-sellers?genre=classical&from=${today()}&to=${today()}&limit=100`,
      );
      expect(reply.body).toContainEqual({
        albumId: album.id,
        title: album.title,
        genre: 'classical',
        units: 40,
        revenueCents: 40 * 99900,
      });
    });
  });

  it.each([
    ['/finance/reports/best-sellers?from=yesterday', 'from'],
    ['/finance/reports/best-sellers?to=2024-13-45', 'to'],
    ['/finance/reports/best-sellers?limit=101', 'limit'],
    ['/finance/reports/best-sellers?by=colour', 'by'],
    ['/finance/reports/revenue-by-country?from=soon', 'from'],
  ])('refuses %s naming the field %s', async (path, field) => {
    expectError(await get(path), 400, 'VALIDATION_FAILED', field);
  });

  it('reports revenue per country with its tax rate', async () => {
    const reply = await get('/finance/reports/revenue-by-country?from=2024-01-01');
    expect(reply.status).toBe(200);
    expect(reply.body.length).toBeGreaterThan(3);
    const gb = reply.body.find((r: { countryCode: string }) => r.countryCode === 'GB');
    expect(gb).toMatchObject({ countryName: 'United Kingdom', taxRateBp: 2000 });
    expect(gb.revenueCents).toBeGreaterThan(0);
  });
});
