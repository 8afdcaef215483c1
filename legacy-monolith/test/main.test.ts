import { silentLogger } from '../../common/src/logger';
import { createTemporaryDatabase, describeEachEngine } from '../../test/support/engines';
import { loadConfig } from '../src/config';
import { startMonolith } from '../src/main';

describe('loadConfig', () => {
  it('when nothing is set, then it defaults to 127.0.0.1:3000, info logs and the embedded SQLite file', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      port: 3000,
      host: '127.0.0.1',
      logLevel: 'info',
      database: { engine: 'sqlite' },
    });
    expect(config.database.location).toMatch(/data[/\\]monolith\.sqlite$/);
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('reads PORT, HOST, LOG_LEVEL and a PostgreSQL DATABASE_URL', () => {
    const config = loadConfig({
      PORT: '0',
      HOST: '0.0.0.0',
      LOG_LEVEL: 'debug',
      DATABASE_URL: 'postgres://u@127.0.0.1:5432/shop',
    });
    expect(config).toMatchObject({
      port: 0,
      host: '0.0.0.0',
      logLevel: 'debug',
      database: { engine: 'postgres', location: 'postgres://u@127.0.0.1:5432/shop' },
    });
  });

  it.each([
    [{ PORT: 'eighty' }, /PORT: expected an integer 0-65535/],
    [{ PORT: '70000' }, /PORT: expected an integer 0-65535/],
    [{ LOG_LEVEL: 'loud' }, /LOG_LEVEL: expected one of fatal, error/],
    [{ DATABASE_URL: 'mysql://root@127.0.0.1/shop' }, /unsupported scheme/],
  ])('when given %j, then it refuses with a message naming the variable', (env, message) => {
    expect(() => loadConfig(env)).toThrow(message);
  });
});

describe('loadConfig: extraction switches', () => {
  it('when no switch is set, then it defaults to the database catalog adapter and local finance (the planted seams intact)', () => {
    expect(loadConfig({})).toMatchObject({
      catalog: { adapter: 'database' },
      finance: { mode: 'local' },
    });
  });

  it('reads CATALOG_ADAPTER=http and FINANCE_MODE=service with their URLs and timeouts', () => {
    const config = loadConfig({
      CATALOG_ADAPTER: 'http',
      CATALOG_SERVICE_URL: 'http://127.0.0.1:4001',
      FINANCE_MODE: 'service',
      FINANCE_SERVICE_URL: 'http://127.0.0.1:4002',
      FINANCE_TIMEOUT_MS: '1500',
    });
    expect(config.catalog).toEqual({
      adapter: 'http',
      url: 'http://127.0.0.1:4001',
      timeoutMs: 2000,
    });
    expect(config.finance).toEqual({
      mode: 'service',
      url: 'http://127.0.0.1:4002',
      timeoutMs: 1500,
    });
    expect(Object.isFrozen(config.finance)).toBe(true);
  });

  it.each([
    [{ CATALOG_ADAPTER: 'http' }, /CATALOG_SERVICE_URL: required when CATALOG_ADAPTER=http/],
    [{ FINANCE_MODE: 'service' }, /FINANCE_SERVICE_URL: required when FINANCE_MODE=service/],
    [{ CATALOG_ADAPTER: 'grpc' }, /CATALOG_ADAPTER: expected database or http/],
    [{ FINANCE_MODE: 'remote' }, /FINANCE_MODE: expected local or service/],
    [
      { FINANCE_MODE: 'service', FINANCE_SERVICE_URL: 'ftp://x' },
      /FINANCE_SERVICE_URL: expected an http URL/,
    ],
    [{ CATALOG_TIMEOUT_MS: '0' }, /CATALOG_TIMEOUT_MS: expected milliseconds/],
  ])(
    'when given %j, then it refuses with a message naming the variable and the fix',
    (env, message) => {
      expect(() => loadConfig(env)).toThrow(message);
    },
  );
});

describeEachEngine('startMonolith', (engine) => {
  it('migrates the database, serves on an ephemeral port and closes cleanly', async () => {
    const database = await createTemporaryDatabase(engine, 'main');
    try {
      const monolith = await startMonolith(
        { ...loadConfig({}), port: 0, logLevel: 'silent', database: database.target },
        { logger: silentLogger() },
      );
      expect(monolith.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const health = await fetch(`${monolith.url}/health`);
      expect(await health.json()).toEqual({ status: 'ok' });
      const countries = await fetch(`${monolith.url}/countries`);
      expect(countries.status).toBe(200);
      await monolith.close();
      await expect(fetch(`${monolith.url}/health`)).rejects.toThrow();
    } finally {
      await database.cleanup();
    }
  });
});

describe('startMonolith with the extraction switches on', () => {
  it('wires the http catalog adapter from the configuration and still closes cleanly (settler timer included)', async () => {
    const database = await createTemporaryDatabase('sqlite', 'main-switches');
    try {
      const env = {
        CATALOG_ADAPTER: 'http',
        CATALOG_SERVICE_URL: 'http://127.0.0.1:9',
        FINANCE_MODE: 'service',
        FINANCE_SERVICE_URL: 'http://127.0.0.1:9',
      };
      const monolith = await startMonolith(
        { ...loadConfig(env), port: 0, logLevel: 'silent', database: database.target },
        { logger: silentLogger() },
      );
      const report = await fetch(`${monolith.url}/finance/reports/best-sellers`);
      expect(report.status).toBe(200); // no sales yet: nothing to look up
      const stock = await fetch(`${monolith.url}/warehouse/stock/1`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: '{"quantity":1,"bin":"A"}',
      });
      expect(stock.status).toBe(503);
      expect(((await stock.json()) as { error: { code: string } }).error.code).toBe(
        'CATALOG_UNAVAILABLE',
      );
      await monolith.close();
    } finally {
      await database.cleanup();
    }
  });
});
