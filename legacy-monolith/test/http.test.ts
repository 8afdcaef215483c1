import { describeEachEngine } from '../../test/support/engines';
import { captureLogs } from './support/capture-logs';
import { startTestMonolith, type TestMonolith } from './support/test-monolith';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describeEachEngine('HTTP edge: health, correlation IDs, logs and errors', (engine) => {
  let monolith: TestMonolith;
  const logs = captureLogs();

  beforeAll(async () => {
    monolith = await startTestMonolith(engine, 'http', { logger: logs.logger });
  });
  afterAll(() => monolith.close());

  it('answers /health', async () => {
    await monolith.http.get('/health').expect(200, { status: 'ok' });
  });

  it('when a client sends a correlation ID, then it is echoed and put on the request log line', async () => {
    const res = await monolith.http
      .get('/countries?ignored=secret')
      .set('X-Correlation-ID', 'order-flow-42')
      .expect(200);
    expect(res.headers['x-correlation-id']).toBe('order-flow-42');
    const line = logs.lines.find((l) => l.correlationId === 'order-flow-42');
    expect(line).toMatchObject({
      msg: 'request',
      method: 'GET',
      path: '/countries',
      status: 200,
      component: 'legacy-monolith',
      ms: expect.any(Number),
    });
  });

  it('when a service writes a log line, then it carries the correlation ID', async () => {
    await monolith.http
      .post('/customers')
      .set('X-Correlation-ID', 'signup-7')
      .send({ email: 'log@example.com', name: 'Log', countryCode: 'JP' })
      .expect(201);
    const lines = logs.lines.filter((l) => l.correlationId === 'signup-7');
    expect(lines.map((l) => l.msg)).toEqual(['customer signed up', 'request']);
    expect(
      logs.lines.filter((l) => l.msg === 'customer signed up' && l.correlationId !== 'signup-7'),
    ).toEqual([]);
  });

  it('when no correlation ID (or an unsafe one) is sent, then one is generated', async () => {
    const plain = await monolith.http.get('/health').expect(200);
    expect(plain.headers['x-correlation-id']).toMatch(UUID);
    const unsafe = await monolith.http
      .get('/health')
      .set('X-Correlation-ID', 'evil\tvalue with spaces')
      .expect(200);
    expect(unsafe.headers['x-correlation-id']).toMatch(UUID);
  });

  it('when a route is unknown, then the answer has the JSON 404 shape', async () => {
    const res = await monolith.http.delete('/catalog/albums').expect(404);
    expect(res.body).toEqual({
      error: { code: 'NOT_FOUND', message: 'no route for DELETE /catalog/albums' },
    });
    expect(res.headers['x-correlation-id']).toMatch(UUID);
  });

  it('when something fails unexpectedly, then the answer is 500 INTERNAL without a stack, and the stack is logged with the correlation ID', async () => {
    // A missing table stands in for any unexpected database failure.
    await monolith.db.schema.renameTable('countries', 'countries_hidden');
    try {
      const res = await monolith.http
        .get('/countries')
        .set('X-Correlation-ID', 'broken-1')
        .expect(500);
      expect(res.body).toEqual({ error: { code: 'INTERNAL', message: 'internal error' } });
    } finally {
      await monolith.db.schema.renameTable('countries_hidden', 'countries');
    }
    const error = logs.lines.find((l) => l.msg === 'unhandled error');
    expect(error).toMatchObject({
      correlationId: 'broken-1',
      level: 50,
      err: { stack: expect.stringContaining('countries') },
    });
    expect(logs.lines.filter((l) => l.correlationId === 'broken-1').map((l) => l.msg)).toEqual([
      'unhandled error',
      'request',
    ]);
  });
});
