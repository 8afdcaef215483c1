import { call, expectError, get, post, unique } from './client';
import { describeSuite } from './suite';

describeSuite('customers', () => {
  it('signs up a customer, normalising e-mail and country code', async () => {
    const local = unique('New.Customer');
    const reply = await post('/customers', {
      email: `${local}@Example.COM`,
      name: 'New Customer',
      countryCode: 'de',
    });
    expect(reply.status).toBe(201);
    expect(reply.body).toEqual({
      id: expect.any(Number),
      email: `${local.toLowerCase()}@example.com`,
      name: 'New Customer',
      countryCode: 'DE',
      createdAt: expect.any(String),
    });
    const read = await get(`/customers/${reply.body.id}`);
    expect(read.status).toBe(200);
    expect(read.body).toEqual(reply.body);
  });

  it('opens a loyalty account at sign-up', async () => {
    const reply = await post('/customers', {
      email: `${unique('loyal')}@example.com`,
      name: 'Loyal',
      countryCode: 'GB',
    });
    const loyalty = await get(`/customers/${reply.body.id}/loyalty`);
    expect(loyalty.status).toBe(200);
    expect(loyalty.body).toEqual({ customerId: reply.body.id, points: 0, tier: 'bronze' });
  });

  it('refuses a second sign-up with the same e-mail in another case', async () => {
    const email = `${unique('twice')}@example.com`;
    expect((await post('/customers', { email, name: 'Once', countryCode: 'GB' })).status).toBe(201);
    expectError(
      await post('/customers', { email: email.toUpperCase(), name: 'Twice', countryCode: 'GB' }),
      409,
      'EMAIL_TAKEN',
      'email',
    );
  });

  it.each([
    [{ email: 'not-an-email', name: 'X', countryCode: 'GB' }, 'email'],
    [{ name: 'X', countryCode: 'GB' }, 'email'],
    [{ email: 'x@example.com', countryCode: 'GB' }, 'name'],
    [{ email: 'x@example.com', name: 42, countryCode: 'GB' }, 'name'],
    [{ email: 'x@example.com', name: 'X', countryCode: 'ZZ' }, 'countryCode'],
    [{ email: 'x@example.com', name: 'X' }, 'countryCode'],
    [{ email: 'x@example.com', name: 'Ada\u0000', countryCode: 'GB' }, 'name'],
    [{ email: 'x@example.com', name: 'Ada\u2066Evil\u2069', countryCode: 'GB' }, 'name'],
  ])('refuses a bad sign-up %j naming the field %s', async (body, field) => {
    expectError(await post('/customers', body), 400, 'VALIDATION_FAILED', field);
  });

  it('refuses a body that is not JSON', async () => {
    expectError(
      await call('POST', '/customers', '{"email": ', { 'content-type': 'application/json' }),
      400,
      'INVALID_JSON',
      'body',
    );
  });

  it('answers 404 for an unknown customer and their loyalty', async () => {
    expectError(await get('/customers/99999999'), 404, 'NOT_FOUND');
    expectError(await get('/customers/99999999/loyalty'), 404, 'NOT_FOUND');
    expectError(await get('/customers/x1'), 400, 'VALIDATION_FAILED', 'id');
  });

  it('lists the countries with their tax rates', async () => {
    const reply = await get('/countries');
    expect(reply.status).toBe(200);
    expect(reply.body).toContainEqual({
      code: 'GB',
      name: 'United Kingdom',
      taxRateBp: 2000,
      shippingZone: 'uk',
    });
    const codes = reply.body.map((c: { code: string }) => c.code);
    expect(codes).toEqual([...codes].sort());
  });
});
