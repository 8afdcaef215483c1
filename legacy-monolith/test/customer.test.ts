import { describeEachEngine } from '../../test/support/engines';
import { countRows } from './support/test-data';
import { startTestMonolith, type TestMonolith } from './support/test-monolith';

describeEachEngine('customer API', (engine) => {
  let monolith: TestMonolith;

  beforeAll(async () => {
    monolith = await startTestMonolith(engine, 'customer');
  });
  afterAll(() => monolith.close());

  it('lists the countries with tax rates and shipping zones', async () => {
    const res = await monolith.http.get('/countries').expect(200);
    expect(res.body).toHaveLength(4);
    expect(res.body[1]).toEqual({
      code: 'GB',
      name: 'United Kingdom',
      taxRateBp: 2000,
      shippingZone: 'uk',
    });
  });

  it('signing up creates the customer and synchronously opens loyalty, queues a welcome e-mail and a postal pack', async () => {
    const res = await monolith.http
      .post('/customers')
      .send({ email: 'Ada@Example.com', name: 'Ada Lovelace', countryCode: 'gb' })
      .expect(201);
    expect(res.body).toEqual({
      id: expect.any(Number),
      email: 'ada@example.com',
      name: 'Ada Lovelace',
      countryCode: 'GB',
      createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });
    const { db } = monolith;
    const id = res.body.id;
    expect(await db('loyalty_accounts').where({ customer_id: id }).first()).toMatchObject({
      points: 0,
      tier: 'bronze',
    });
    expect(await db('welcome_emails').where({ customer_id: id }).first()).toMatchObject({
      to_address: 'ada@example.com',
      status: 'queued',
    });
    expect(await db('postal_welcome_packs').where({ customer_id: id }).first()).toMatchObject({
      country_code: 'GB',
      status: 'queued',
    });
  });

  it('shows a customer and their loyalty account', async () => {
    const created = await monolith.http
      .post('/customers')
      .send({ email: 'grace@example.com', name: 'Grace', countryCode: 'US' })
      .expect(201);
    const res = await monolith.http.get(`/customers/${created.body.id}`).expect(200);
    expect(res.body).toEqual(created.body);
    const loyalty = await monolith.http.get(`/customers/${created.body.id}/loyalty`).expect(200);
    expect(loyalty.body).toEqual({ customerId: created.body.id, points: 0, tier: 'bronze' });
  });

  it('refuses a second sign-up with the same e-mail in another case, writing nothing', async () => {
    await monolith.http
      .post('/customers')
      .send({ email: 'linus@example.com', name: 'Linus', countryCode: 'DE' })
      .expect(201);
    const before = await countRows(monolith.db, 'customers');
    const res = await monolith.http
      .post('/customers')
      .send({ email: 'LINUS@example.com', name: 'Other', countryCode: 'DE' })
      .expect(409);
    expect(res.body.error).toMatchObject({ code: 'EMAIL_TAKEN', field: 'email' });
    expect(await countRows(monolith.db, 'customers')).toBe(before);
  });

  it('lets only one of two simultaneous sign-ups with the same e-mail through', async () => {
    const body = { email: 'twin@example.com', name: 'Twin', countryCode: 'GB' };
    const results = await Promise.all(
      [1, 2].map(() => monolith.http.post('/customers').send(body)),
    );
    expect(results.map((r) => r.status).sort()).toEqual([201, 409]);
    expect(results.find((r) => r.status === 409)?.body.error.code).toBe('EMAIL_TAKEN');
    const [{ n }] = await monolith
      .db('loyalty_accounts')
      .join('customers', 'customers.id', 'loyalty_accounts.customer_id')
      .where('customers.email', 'twin@example.com')
      .count({ n: '*' });
    expect(Number(n)).toBe(1);
  });

  it('answers 404 for unknown customers and their loyalty', async () => {
    expect((await monolith.http.get('/customers/424242').expect(404)).body.error.code).toBe(
      'NOT_FOUND',
    );
    await monolith.http.get('/customers/424242/loyalty').expect(404);
  });
});
