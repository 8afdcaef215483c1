import {
  type RunningService,
  runServiceUntilSignal,
  startService,
} from '../../../common/src/run-service';
import { createApp } from './app';
import { type CatalogConfig, loadConfig } from './config';

/** Migrates the catalog database, then listens; `close()` stops accepting requests and closes the database. */
export function startCatalogService(config: CatalogConfig): Promise<RunningService> {
  return startService({
    name: 'catalog-service',
    database: config.database,
    host: config.host,
    port: config.port,
    logLevel: config.logLevel,
    createApp,
  });
}

if (require.main === module)
  runServiceUntilSignal('catalog-service', () => startCatalogService(loadConfig()));
