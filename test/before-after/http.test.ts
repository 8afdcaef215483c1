import { call, expectError, get, post } from './client';
import { describeSuite } from './suite';

describeSuite('the HTTP edge', () => {
  it('is healthy', async () => {
    const reply = await get('/health');
    expect(reply.status).toBe(200);
    expect(reply.body.status).toBe('ok');
  });

  it('keeps a correlation ID the client sent', async () => {
    const reply = await get('/catalog/albums?pageSize=1', { 'x-correlation-id': 'black-box-42' });
    expect(reply.headers.get('x-correlation-id')).toBe('black-box-42');
  });

  it('generates a correlation ID when none (or an unsafe one) is sent', async () => {
    const none = await get('/health');
    expect(none.headers.get('x-correlation-id')).toMatch(/^[A-Za-z0-9._:-]{8,128}$/);
    const unsafe = await get('/health', { 'x-correlation-id': 'bad id <script>' });
    expect(unsafe.headers.get('x-correlation-id')).not.toBe('bad id <script>');
  });

  it('answers unknown routes with the JSON error shape', async () => {
    expectError(await get('/no/such/thing'), 404, 'NOT_FOUND');
    expectError(await call('DELETE', '/catalog/albums/1'), 404, 'NOT_FOUND');
  });

  it('refuses a body over 100kb', async () => {
    const reply = await post('/customers', {
      email: 'big@example.com',
      name: 'x'.repeat(200_000),
      countryCode: 'GB',
    });
    expectError(reply, 413, 'PAYLOAD_TOO_LARGE');
  });
});
