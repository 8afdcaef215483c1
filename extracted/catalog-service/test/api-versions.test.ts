import type { Express } from 'express';
import type { Knex } from 'knex';
import request from 'supertest';
import {
  describeEachEngine,
  createMigratedDatabase,
  type MigratedDatabase,
} from '../../../test/support/engines';
import { createApp } from '../src/app';
import { toPrice } from '../src/routes-v2';
import { SERVICE_VERSION } from '../src/version';
import { insertCatalogFixture } from './support/catalog-fixture';

describeEachEngine('catalog-service API versions', (engine) => {
  let temp: MigratedDatabase;
  let db: Knex;
  let app: Express;

  beforeAll(async () => {
    temp = await createMigratedDatabase(engine, 'catalog-service', 'catalog-versions');
    db = temp.db;
    await insertCatalogFixture(db);
    app = createApp({ db });
  });

  afterAll(async () => {
    await db?.destroy();
    await temp?.cleanup();
  });

  test('reports its semantic version on /health and in X-Service-Version on every answer', async () => {
    const health = await request(app).get('/health').expect(200);
    expect(health.body).toEqual({
      status: 'ok',
      service: 'catalog-service',
      version: SERVICE_VERSION,
    });
    expect(SERVICE_VERSION).toMatch(/^\d+\.\d+\.\d+$/);
    const missing = await request(app).get('/catalog/albums/999').expect(404);
    expect(missing.headers['x-service-version']).toBe(SERVICE_VERSION);
  });

  test('v1 is unchanged beside v2: priceCents, no price object', async () => {
    const v1 = await request(app).get('/catalog/albums/1').expect(200);
    expect(v1.body.priceCents).toBe(1299);
    expect(v1.body).not.toHaveProperty('price');
    expect(v1.headers.vary).toContain('Accept-Version');
  });

  test('v2 at /v2/catalog/albums serves price as {amount, currency}, everything else as v1', async () => {
    const [v1, v2] = await Promise.all([
      request(app).get('/catalog/albums?genre=jazz&pageSize=2').expect(200),
      request(app).get('/v2/catalog/albums?genre=jazz&pageSize=2').expect(200),
    ]);
    expect(v2.body.total).toBe(v1.body.total);
    expect(v2.body.items[0]).toEqual({
      id: 1,
      title: 'Kind of Blue',
      artistId: 1,
      artistName: 'Miles Davis',
      genre: 'jazz',
      releaseYear: 1959,
      price: { amount: '12.99', currency: 'EUR' },
    });
    const detail = await request(app).get('/v2/catalog/albums/1').expect(200);
    expect(detail.body.price).toEqual({ amount: '12.99', currency: 'EUR' });
    expect(detail.body.tracks).toHaveLength(2);
    for (const similar of detail.body.youMayAlsoLike) {
      expect(similar).toHaveProperty('price.currency', 'EUR');
      expect(similar).not.toHaveProperty('priceCents');
    }
  });

  test('when Accept-Version asks for 2 on the v1 URL, then it gets the same v2; when 1 or none, then v1', async () => {
    for (const asked of ['2', 'v2', '2.0']) {
      const res = await request(app)
        .get('/catalog/albums/1')
        .set('accept-version', asked)
        .expect(200);
      expect(res.body.price).toEqual({ amount: '12.99', currency: 'EUR' });
    }
    const v1 = await request(app).get('/catalog/albums/1').set('accept-version', '1').expect(200);
    expect(v1.body.priceCents).toBe(1299);
  });

  test('when a write asks for v2, then it is served by v1, the only version that writes', async () => {
    const res = await request(app)
      .patch('/catalog/albums/6/price')
      .set('accept-version', '2')
      .send({ priceCents: 999 })
      .expect(200);
    expect(res.body.priceCents).toBe(999);
  });

  test('when a version is asked for that it does not have, then it answers 406 naming the ones it has', async () => {
    const res = await request(app).get('/catalog/albums').set('accept-version', '3').expect(406);
    expect(res.body.error).toEqual({
      code: 'VERSION_UNSUPPORTED',
      message: 'Accept-Version "3" is not served: use 1 or 2 (or /v2/catalog/albums)',
      field: 'accept-version',
    });
  });

  test('when a resource has no v2, then the header is ignored', async () => {
    const res = await request(app).get('/catalog/artists/1').set('accept-version', '2').expect(200);
    expect(res.body.albums[0]).toHaveProperty('priceCents');
  });

  test.each([
    [0, '0.00'],
    [5, '0.05'],
    [1299, '12.99'],
    [100000, '1000.00'],
  ])('prices %i cents as "%s"', (cents, amount) => {
    expect(toPrice(cents)).toEqual({ amount, currency: 'EUR' });
  });
});
