import { silentLogger } from '../../common/src/logger';
import { createTemporaryDatabase, describeEachEngine } from '../../test/support/engines';
import { loadConfig } from '../src/config';
import { startMonolith } from '../src/main';

describe('loadConfig', () => {
  it('defaults to 127.0.0.1:3000, info logs and the embedded SQLite file', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ port: 3000, host: '127.0.0.1', logLevel: 'info', database: { engine: 'sqlite' } });
    expect(config.database.location).toMatch(/data[/\\]monolith\.sqlite$/);
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('reads PORT, HOST, LOG_LEVEL and a PostgreSQL DATABASE_URL', () => {
    const config = loadConfig({ PORT: '0', HOST: '0.0.0.0', LOG_LEVEL: 'debug', DATABASE_URL: 'postgres://u@127.0.0.1:5432/shop' });
    expect(config).toMatchObject({ port: 0, host: '0.0.0.0', logLevel: 'debug', database: { engine: 'postgres', location: 'postgres://u@127.0.0.1:5432/shop' } });
  });

  it.each([
    [{ PORT: 'eighty' }, /PORT: expected an integer 0-65535/],
    [{ PORT: '70000' }, /PORT: expected an integer 0-65535/],
    [{ LOG_LEVEL: 'loud' }, /LOG_LEVEL: expected one of fatal, error/],
    [{ DATABASE_URL: 'mysql://root@127.0.0.1/shop' }, /unsupported scheme/],
  ])('refuses %j with a message naming the variable', (env, message) => {
    expect(() => loadConfig(env)).toThrow(message);
  });
});

describeEachEngine('startMonolith', (engine) => {
  it('migrates the database, serves on an ephemeral port and closes cleanly', async () => {
    const database = await createTemporaryDatabase(engine, 'main');
    try {
      const monolith = await startMonolith({ port: 0, host: '127.0.0.1', logLevel: 'silent', database: database.target }, { logger: silentLogger() });
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
