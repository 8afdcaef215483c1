import type { AddressInfo } from 'node:net';
import { openDatabase } from '../../../common/src/database';
import { createLogger } from '../../../common/src/logger';
import { migrateLatest } from '../../../common/src/migrate';
import { createApp } from './app';
import { CatalogConfig, loadConfig } from './config';

export interface RunningService {
  url: string;
  close(): Promise<void>;
}

/** Migrates the catalog database, then listens; `close()` stops accepting requests and closes the database. */
export async function startCatalogService(config: CatalogConfig): Promise<RunningService> {
  const logger = createLogger('catalog-service', { level: config.logLevel });
  const db = openDatabase(config.database);
  await migrateLatest(db, 'catalog-service');
  const server = createApp({ db, logger }).listen(config.port, config.host);
  await new Promise<void>((resolve, reject) => server.once('listening', resolve).once('error', reject));
  const { port } = server.address() as AddressInfo;
  const url = `http://${config.host}:${port}`;
  logger.info({ url, engine: config.database.engine }, 'catalog-service listening');
  return {
    url,
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      await closed;
      await db.destroy();
    },
  };
}

if (require.main === module) {
  startCatalogService(loadConfig())
    .then((service) => {
      const stop = () => void service.close().then(() => process.exit(0));
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    })
    .catch((error: Error) => {
      process.stderr.write(`catalog-service failed to start: ${error.message}\n`);
      process.exit(1);
    });
}
