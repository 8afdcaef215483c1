import { call, expectError, get, post, targetUrl } from './client';
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

  it.each([
    ['/customers', 'text/plain', 'is text/plain'],
    [
      '/catalog/albums',
      'application/x-www-form-urlencoded',
      'is application/x-www-form-urlencoded',
    ],
    ['/catalog/albums', undefined, 'has no Content-Type'],
  ])('refuses a body to %s that is not JSON (%s) with 415 naming it', async (path, type, says) => {
    const res = await fetch(`${targetUrl()}${path}`, {
      method: 'POST',
      headers: type ? { 'content-type': type } : {},
      body: new Uint8Array(Buffer.from('title=Blue')),
    });
    const reply = { status: res.status, headers: res.headers, body: (await res.json()) as any };
    expectError(reply, 415, 'UNSUPPORTED_MEDIA_TYPE', 'body');
    expect(reply.body.error.message).toBe(
      `request body ${says}: send JSON with the header "Content-Type: application/json"`,
    );
  });

  it.each([
    ['/customers', 'null', '"email":"ada@example.com"'],
    ['/catalog/albums', '"string"', '"title":"text"'],
    ['/warehouse/orders', '[]', '"lines":[{"albumId":1,"quantity":1}]'],
  ])(
    'answers JSON %s that is not an object with an example of that endpoint',
    async (path, raw, example) => {
      const reply = await call('POST', path, raw);
      expectError(reply, 400, 'VALIDATION_FAILED', 'body');
      expect(reply.body.error.message).toMatch(/^body must be a JSON object, not /);
      expect(reply.body.error.message).toContain(example);
    },
  );

  it('refuses a body over 100kb', async () => {
    const reply = await post('/customers', {
      email: 'big@example.com',
      name: 'x'.repeat(200_000),
      countryCode: 'GB',
    });
    expectError(reply, 413, 'PAYLOAD_TOO_LARGE');
  });
});
