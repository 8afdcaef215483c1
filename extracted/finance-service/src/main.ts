import {
  type RunningService,
  runServiceUntilSignal,
  startService,
} from '../../../common/src/run-service';
import { createApp } from './app';
import { createCatalogClient } from './catalog-client';
import { type FinanceConfig, loadConfig } from './config';

/** Migrates the finance database, then listens; `close()` stops accepting requests and closes the database. */
export function startFinanceService(config: FinanceConfig): Promise<RunningService> {
  const catalog = createCatalogClient({
    baseUrl: config.catalogUrl,
    timeoutMs: config.catalogTimeoutMs,
  });
  return startService({
    name: 'finance-service',
    database: config.database,
    host: config.host,
    port: config.port,
    logLevel: config.logLevel,
    createApp: (deps) => createApp({ ...deps, catalog }),
  });
}

if (require.main === module)
  runServiceUntilSignal('finance-service', () => startFinanceService(loadConfig()));
