import { parseDatabaseUrl } from '../../../common/src/database';
import { createTemporaryDatabase } from '../../../test/support/engines';
import { loadConfig } from '../src/config';
import { startFinanceService } from '../src/main';

describe('finance-service start-up', () => {
  test('when nothing is set, then it reads defaults; when a variable is bad, then it is named', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      port: 4002,
      catalogUrl: 'http://127.0.0.1:4001',
      catalogTimeoutMs: 2000,
    });
    expect(config.database).toEqual(parseDatabaseUrl(undefined, 'finance-service'));
    expect(() => loadConfig({ CATALOG_SERVICE_URL: 'not a url' })).toThrow(/CATALOG_SERVICE_URL/);
    expect(() => loadConfig({ CATALOG_TIMEOUT_MS: '0' })).toThrow(/CATALOG_TIMEOUT_MS/);
  });

  test('migrates its own database (no albums or orders tables), serves and closes', async () => {
    const temp = await createTemporaryDatabase('sqlite', 'finance-main');
    try {
      const service = await startFinanceService({
        ...loadConfig({ FINANCE_DATABASE_URL: temp.url }),
        port: 0,
        logLevel: 'silent',
      });
      expect(await (await fetch(`${service.url}/finance/ledger`)).json()).toEqual({
        items: [],
        total: 0,
        page: 1,
        pageSize: 20,
      });
      await service.close();
      const db = temp.open();
      expect(await db.schema.hasTable('ledger_lines')).toBe(true);
      expect(await db.schema.hasTable('albums')).toBe(false);
      await db.destroy();
    } finally {
      await temp.cleanup();
    }
  });
});
