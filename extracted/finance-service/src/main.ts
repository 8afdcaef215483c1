import type { AddressInfo } from 'node:net';
import { openDatabase } from '../../../common/src/database';
import { createLogger } from '../../../common/src/logger';
import { migrateLatest } from '../../../common/src/migrate';
import { createApp } from './app';
import { createCatalogClient } from './catalog-client';
import { FinanceConfig, loadConfig } from './config';

export interface RunningService {
  url: string;
  close(): Promise<void>;
}

/** Migrates the finance database, then listens; `close()` stops accepting requests and closes the database. */
export async function startFinanceService(config: FinanceConfig): Promise<RunningService> {
  const logger = createLogger('finance-service', { level: config.logLevel });
  const db = openDatabase(config.database);
  await migrateLatest(db, 'finance-service');
  const server = createApp({ db, logger, catalog: createCatalogClient({ baseUrl: config.catalogUrl, timeoutMs: config.catalogTimeoutMs }) }).listen(config.port, config.host);
  await new Promise<void>((resolve, reject) => server.once('listening', resolve).once('error', reject));
  const { port } = server.address() as AddressInfo;
  const url = `http://${config.host}:${port}`;
  logger.info({ url, engine: config.database.engine }, 'finance-service listening');
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
  startFinanceService(loadConfig())
    .then((service) => {
      const stop = () => void service.close().then(() => process.exit(0));
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    })
    .catch((error: Error) => {
      process.stderr.write(`finance-service failed to start: ${error.message}\n`);
      process.exit(1);
    });
}
