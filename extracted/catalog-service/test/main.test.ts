import { parseDatabaseUrl } from '../../../common/src/database';
import { createTemporaryDatabase } from '../../../test/support/engines';
import { loadConfig } from '../src/config';
import { startCatalogService } from '../src/main';

describe('catalog-service start-up', () => {
  test('when nothing is set, then it reads defaults; when the port is bad, then it is refused naming the variable', () => {
    const config = loadConfig({});
    expect(config.port).toBe(4001);
    expect(config.database).toEqual(parseDatabaseUrl(undefined, 'catalog-service'));
    expect(Object.isFrozen(config)).toBe(true);
    expect(() => loadConfig({ CATALOG_PORT: 'eighty' })).toThrow(/CATALOG_PORT/);
  });

  test('migrates its own database, serves /health and closes', async () => {
    const temp = await createTemporaryDatabase('sqlite', 'catalog-main');
    try {
      const service = await startCatalogService({
        ...loadConfig({ CATALOG_DATABASE_URL: temp.url }),
        port: 0,
        logLevel: 'silent',
      });
      const res = await fetch(`${service.url}/catalog/albums`);
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ items: [], total: 0, page: 1, pageSize: 20 });
      await service.close();
      await expect(fetch(`${service.url}/health`)).rejects.toThrow();
    } finally {
      await temp.cleanup();
    }
  });
});
