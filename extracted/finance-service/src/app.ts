import express, { type Express } from 'express';
import type { Knex } from 'knex';
import type { Logger } from 'pino';
import { silentLogger } from '../../../common/src/logger';
import { reportServiceVersion } from '../../../common/src/service-version';
import type { CatalogClient } from './catalog-client';
import { assignCorrelationId, logRequests } from '../../../common/src/express-request-context';
import { handleErrors, handleUnknownRoute } from './http/error-handler';
import { SERVICE_VERSION } from './version';
import { FinanceReports } from './reports';
import { FinanceRepository } from './repository';
import { financeRoutes } from './routes';
import { FinanceService } from './service';
import { refuseNonJsonBodies } from '../../../common/src/json-body';

export interface FinanceDeps {
  db: Knex;
  catalog: CatalogClient;
  logger?: Logger;
}

/**
 * Builds the finance service's Express app on a migrated database and a catalog client.
 *
 * @example createApp({ db, catalog: createCatalogClient({ baseUrl: 'http://127.0.0.1:4001', timeoutMs: 2000 }) })
 */
export function createApp(deps: FinanceDeps): Express {
  const logger = deps.logger ?? silentLogger();
  const repository = new FinanceRepository(deps.db);
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  app.use(assignCorrelationId(logger));
  app.use(logRequests(logger));
  app.use(refuseNonJsonBodies());
  // strict: false lets JSON null or "text" reach the route, which answers with an example of its own body
  app.use(express.json({ limit: '100kb', strict: false }));
  app.use(reportServiceVersion('finance-service', SERVICE_VERSION));
  app.use(
    financeRoutes(
      new FinanceService(repository, deps.catalog),
      new FinanceReports(repository, deps.catalog),
    ),
  );
  app.use(handleUnknownRoute());
  app.use(handleErrors(logger));
  return app;
}
