import { describeEachEngine } from '../../test/support/engines';
import { insertAlbum, insertArtist, insertCustomer } from './support/test-data';
import { startTestMonolith, type TestMonolith } from './support/test-monolith';

type Method = 'get' | 'post' | 'patch' | 'put';
interface BadInput {
  name: string;
  method: Method;
  path: string;
  body?: unknown;
  rawJson?: string;
  /** A raw body sent with this content type ('' sends none). */
  raw?: { type: string; body: string };
  status: number;
  code: string;
  field: string;
}

const album = { title: 'Blue', artistId: 1, genre: 'Folk', releaseYear: 1971, priceCents: 1299 };
const order = (lines: unknown, customerId: unknown = 1) => ({ customerId, lines });

const cases: BadInput[] = [
  {
    name: 'non-integer album id',
    method: 'get',
    path: '/catalog/albums/abc',
    status: 400,
    code: 'VALIDATION_FAILED',
    field: 'id',
  },
  {
    name: 'zero album id',
    method: 'get',
    path: '/catalog/albums/0',
    status: 400,
    code: 'VALIDATION_FAILED',
    field: 'id',
  },
  {
    name: 'album id beyond integer range',
    method: 'get',
    path: '/catalog/albums/99999999999',
    status: 400,
    code: 'VALIDATION_FAILED',
    field: 'id',
  },
  {
    name: 'pageSize over 100',
    method: 'get',
    path: '/catalog/albums?pageSize=101',
    status: 400,
    code: 'VALIDATION_FAILED',
    field: 'pageSize',
  },
  {
    name: 'page zero',
    method: 'get',
    path: '/catalog/albums?page=0',
    status: 400,
    code: 'VALIDATION_FAILED',
    field: 'page',
  },
  {
    name: 'page not a number',
    method: 'get',
    path: '/catalog/artists?page=two',
    status: 400,
    code: 'VALIDATION_FAILED',
    field: 'page',
  },
  {
    name: 'artistId filter not a number',
    method: 'get',
    path: '/catalog/albums?artistId=1%20OR%201=1',
    status: 400,
    code: 'VALIDATION_FAILED',
    field: 'artistId',
  },
  {
    name: 'search text too long',
    method: 'get',
    path: `/catalog/albums?q=${'x'.repeat(101)}`,
    status: 400,
    code: 'VALIDATION_FAILED',
    field: 'q',
  },
  {
    name: 'artist without a name',
    method: 'post',
    path: '/catalog/artists',
    body: { name: '' },
    status: 400,
    code: 'VALIDATION_FAILED',
    field: 'name',
  },
  {
    name: 'album without a title',
    method: 'post',
    path: '/catalog/albums',
    body: { ...album, title: undefined },
    status: 400,
    code: 'VALIDATION_FAILED',
    field: 'title',
  },
  {
    name: 'album title of the wrong type',
    method: 'post',
    path: '/catalog/albums',
    body: { ...album, title: 42 },
    status: 400,
    code: 'VALIDATION_FAILED',
    field: 'title',
  },
  {
    name: 'price as a string',
    method: 'post',
    path: '/catalog/albums',
    body: { ...album, priceCents: '1299' },
    status: 400,
    code: 'VALIDATION_FAILED',
    field: 'priceCents',
  },
  {
    name: 'negative price',
    method: 'post',
    path: '/catalog/albums',
    body: { ...album, priceCents: -1 },
    status: 400,
    code: 'VALIDATION_FAILED',
    field: 'priceCents',
  },
  {
    name: 'unknown artist',
    method: 'post',
    path: '/catalog/albums',
    body: { ...album, artistId: 9999 },
    status: 400,
    code: 'VALIDATION_FAILED',
    field: 'artistId',
  },
  {
    name: 'track of zero seconds',
    method: 'post',
    path: '/catalog/albums',
    body: { ...album, tracks: [{ title: 'A', durationSeconds: 0 }] },
    status: 400,
    code: 'VALIDATION_FAILED',
    field: 'tracks[0].durationSeconds',
  },
  {
    name: 'fractional price change',
    method: 'patch',
    path: '/catalog/albums/1/price',
    body: { priceCents: 12.5 },
    status: 400,
    code: 'VALIDATION_FAILED',
    field: 'priceCents',
  },
  {
    name: 'price change on a non-integer id',
    method: 'patch',
    path: '/catalog/albums/abc/price',
    body: { priceCents: 100 },
    status: 400,
    code: 'VALIDATION_FAILED',
    field: 'id',
  },
  {
    name: 'malformed e-mail',
    method: 'post',
    path: '/customers',
    body: { email: 'not-an-email', name: 'A', countryCode: 'GB' },
    status: 400,
    code: 'VALIDATION_FAILED',
    field: 'email',
  },
  {
    name: 'customer without a name',
    method: 'post',
    path: '/customers',
    body: { email: 'a@example.com', countryCode: 'GB' },
    status: 400,
    code: 'VALIDATION_FAILED',
    field: 'name',
  },
  {
    name: 'blank customer name',
    method: 'post',
    path: '/customers',
    body: { email: 'a@example.com', name: '   ', countryCode: 'GB' },
    status: 400,
    code: 'VALIDATION_FAILED',
    field: 'name',
  },
  {
    name: 'unknown country',
    method: 'post',
    path: '/customers',
    body: { email: 'a@example.com', name: 'A', countryCode: 'ZZ' },
    status: 400,
    code: 'VALIDATION_FAILED',
    field: 'countryCode',
  },
  {
    name: 'three-letter country',
    method: 'post',
    path: '/customers',
    body: { email: 'a@example.com', name: 'A', countryCode: 'GBR' },
    status: 400,
    code: 'VALIDATION_FAILED',
    field: 'countryCode',
  },
  {
    name: 'duplicate e-mail in another case',
    method: 'post',
    path: '/customers',
    body: { email: 'TAKEN@example.com', name: 'A', countryCode: 'GB' },
    status: 409,
    code: 'EMAIL_TAKEN',
    field: 'email',
  },
  {
    name: 'zero quantity',
    method: 'post',
    path: '/warehouse/orders',
    body: order([{ albumId: 1, quantity: 0 }]),
    status: 400,
    code: 'VALIDATION_FAILED',
    field: 'lines[0].quantity',
  },
  {
    name: 'negative quantity',
    method: 'post',
    path: '/warehouse/orders',
    body: order([
      { albumId: 1, quantity: 1 },
      { albumId: 1, quantity: -2 },
    ]),
    status: 400,
    code: 'VALIDATION_FAILED',
    field: 'lines[1].quantity',
  },
  {
    name: 'fractional quantity',
    method: 'post',
    path: '/warehouse/orders',
    body: order([{ albumId: 1, quantity: 1.5 }]),
    status: 400,
    code: 'VALIDATION_FAILED',
    field: 'lines[0].quantity',
  },
  {
    name: 'quantity as a string',
    method: 'post',
    path: '/warehouse/orders',
    body: order([{ albumId: 1, quantity: '2' }]),
    status: 400,
    code: 'VALIDATION_FAILED',
    field: 'lines[0].quantity',
  },
  {
    name: 'order without lines',
    method: 'post',
    path: '/warehouse/orders',
    body: order([]),
    status: 400,
    code: 'VALIDATION_FAILED',
    field: 'lines',
  },
  {
    name: 'order without a customer',
    method: 'post',
    path: '/warehouse/orders',
    body: { lines: [{ albumId: 1, quantity: 1 }] },
    status: 400,
    code: 'VALIDATION_FAILED',
    field: 'customerId',
  },
  {
    name: 'unknown customer',
    method: 'post',
    path: '/warehouse/orders',
    body: order([{ albumId: 1, quantity: 1 }], 9999),
    status: 400,
    code: 'VALIDATION_FAILED',
    field: 'customerId',
  },
  {
    name: 'unknown album',
    method: 'post',
    path: '/warehouse/orders',
    body: order([
      { albumId: 1, quantity: 1 },
      { albumId: 9999, quantity: 1 },
    ]),
    status: 400,
    code: 'VALIDATION_FAILED',
    field: 'lines[1].albumId',
  },
  {
    name: 'order list without customerId',
    method: 'get',
    path: '/warehouse/orders',
    status: 400,
    code: 'VALIDATION_FAILED',
    field: 'customerId',
  },
  {
    name: 'negative stock',
    method: 'put',
    path: '/warehouse/stock/1',
    body: { quantity: -1, bin: 'A' },
    status: 400,
    code: 'VALIDATION_FAILED',
    field: 'quantity',
  },
  {
    name: 'unknown ledger kind',
    method: 'get',
    path: '/finance/ledger?kind=gift',
    status: 400,
    code: 'VALIDATION_FAILED',
    field: 'kind',
  },
  {
    name: 'negative invoice id',
    method: 'get',
    path: '/finance/invoices/-1',
    status: 400,
    code: 'VALIDATION_FAILED',
    field: 'orderId',
  },
  {
    name: 'month 13 in a report date',
    method: 'get',
    path: '/finance/reports/best-sellers?from=2026-13-01',
    status: 400,
    code: 'VALIDATION_FAILED',
    field: 'from',
  },
  {
    name: '30 February in a report date',
    method: 'get',
    path: '/finance/reports/revenue-by-country?to=2026-02-30',
    status: 400,
    code: 'VALIDATION_FAILED',
    field: 'to',
  },
  {
    name: 'report range backwards',
    method: 'get',
    path: '/finance/reports/revenue-by-country?from=2026-02-01&to=2026-01-01',
    status: 400,
    code: 'VALIDATION_FAILED',
    field: 'to',
  },
  {
    name: 'unknown ranking',
    method: 'get',
    path: '/finance/reports/best-sellers?by=hype',
    status: 400,
    code: 'VALIDATION_FAILED',
    field: 'by',
  },
  {
    name: 'non-integer customer in recommendations',
    method: 'get',
    path: '/recommendations/abc',
    status: 400,
    code: 'VALIDATION_FAILED',
    field: 'customerId',
  },
  {
    name: 'zero recommendation limit',
    method: 'get',
    path: '/recommendations/1?limit=0',
    status: 400,
    code: 'VALIDATION_FAILED',
    field: 'limit',
  },
  {
    name: 'body that is not JSON',
    method: 'post',
    path: '/customers',
    rawJson: '{"email": "a@example.com",',
    status: 400,
    code: 'INVALID_JSON',
    field: 'body',
  },
  {
    name: 'JSON array instead of an object',
    method: 'post',
    path: '/warehouse/orders',
    body: [1, 2],
    status: 400,
    code: 'VALIDATION_FAILED',
    field: 'body',
  },
  {
    name: 'malformed percent-encoding in a path id',
    method: 'get',
    path: '/catalog/albums/%E0%A4%A',
    status: 400,
    code: 'VALIDATION_FAILED',
    field: 'path',
  },
  {
    name: 'text/plain body',
    method: 'post',
    path: '/customers',
    raw: { type: 'text/plain', body: 'ada@example.com' },
    status: 415,
    code: 'UNSUPPORTED_MEDIA_TYPE',
    field: 'body',
  },
  {
    name: 'form-encoded body',
    method: 'post',
    path: '/customers',
    raw: { type: 'application/x-www-form-urlencoded', body: 'email=a%40example.com&name=A' },
    status: 415,
    code: 'UNSUPPORTED_MEDIA_TYPE',
    field: 'body',
  },
  {
    name: 'body without a content type',
    method: 'post',
    path: '/warehouse/orders',
    raw: { type: '', body: '{"customerId":1}' },
    status: 415,
    code: 'UNSUPPORTED_MEDIA_TYPE',
    field: 'body',
  },
  {
    name: 'JSON null instead of an object',
    method: 'post',
    path: '/customers',
    rawJson: 'null',
    status: 400,
    code: 'VALIDATION_FAILED',
    field: 'body',
  },
  {
    name: 'NUL in a customer name',
    method: 'post',
    path: '/customers',
    body: { email: 'nul@example.com', name: 'Ada\u0000Lovelace', countryCode: 'GB' },
    status: 400,
    code: 'VALIDATION_FAILED',
    field: 'name',
  },
  {
    name: 'escape sequence in an album title',
    method: 'post',
    path: '/catalog/albums',
    body: { ...album, title: 'Blue\u001b[31m' },
    status: 400,
    code: 'VALIDATION_FAILED',
    field: 'title',
  },
  {
    name: 'right-to-left override in an artist name',
    method: 'post',
    path: '/catalog/artists',
    body: { name: 'Joni\u202ellehctiM' },
    status: 400,
    code: 'VALIDATION_FAILED',
    field: 'name',
  },
  {
    name: 'body over 100kb',
    method: 'post',
    path: '/customers',
    body: { email: 'a@example.com', name: 'x'.repeat(110_000), countryCode: 'GB' },
    status: 413,
    code: 'PAYLOAD_TOO_LARGE',
    field: 'body',
  },
];

describeEachEngine('bad input is refused with a 4xx naming the field', (engine) => {
  let monolith: TestMonolith;

  beforeAll(async () => {
    monolith = await startTestMonolith(engine, 'bad-input');
    const artist = await insertArtist(monolith.db, 'Joni Mitchell');
    await insertAlbum(monolith.db, { artistId: artist, title: 'Blue' });
    await insertCustomer(monolith.db, 'taken@example.com');
  });
  afterAll(() => monolith.close());

  it.each(cases.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    let call = monolith.http[c.method](c.path);
    if (c.raw !== undefined) {
      call = c.raw.type ? call.set('content-type', c.raw.type) : call.unset('content-type');
      call = call.send(Buffer.from(c.raw.body));
    } else if (c.rawJson !== undefined)
      call = call.set('content-type', 'application/json').send(c.rawJson);
    else if (c.body !== undefined) call = call.send(c.body as object);
    const res = await call;
    expect({
      status: res.status,
      code: res.body.error?.code,
      field: res.body.error?.field,
    }).toEqual({ status: c.status, code: c.code, field: c.field });
    expect(res.body.error.message).toContain(
      c.field === 'body' || c.field === 'path' ? '' : c.field,
    );
    expect(JSON.stringify(res.body)).not.toMatch(/\bat .*\.ts:\d+/);
  });

  it('when the body is not JSON, then the message names the content type it refused and asks for JSON', async () => {
    const res = await monolith.http
      .post('/customers')
      .set('content-type', 'text/plain; charset=utf-8')
      .send(Buffer.from('hello'));
    expect(res.body.error.message).toBe(
      'request body is text/plain: send JSON with the header "Content-Type: application/json"',
    );
  });

  it.each([
    ['/customers', 'null', /"email":"ada@example.com","name":"text","countryCode":"GB"/],
    ['/warehouse/orders', '"string"', /"customerId":1,"lines":\[\{"albumId":1,"quantity":1\}\]/],
    ['/catalog/albums', '42', /"title":"text","artistId":1/],
  ])(
    'when JSON that is not an object is sent to %s, then the message gives an example of that endpoint',
    async (path, raw, example) => {
      const res = await monolith.http.post(path).set('content-type', 'application/json').send(raw);
      expect(res.status).toBe(400);
      expect(res.body.error.message).toMatch(/^body must be a JSON object, not /);
      expect(res.body.error.message).toMatch(example);
    },
  );

  it('when a text holds a control character, then the message says which one it refused, and where', async () => {
    const res = await monolith.http
      .post('/customers')
      .send({ email: 'nul2@example.com', name: 'Ada\u0000', countryCode: 'GB' });
    expect(res.body.error.message).toBe(
      'name: must not contain control or bidi-override characters: found U+0000 (NUL) at position 4',
    );
  });

  it('when writes were refused, then nothing of them is left behind', async () => {
    const [{ n }] = await monolith.db('orders').count({ n: '*' });
    expect(Number(n)).toBe(0);
    const [{ customers }] = await monolith.db('customers').count({ customers: '*' });
    expect(Number(customers)).toBe(1);
  });
});
