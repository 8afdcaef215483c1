import express, { type Express } from 'express';
import type { Knex } from 'knex';
import type { Logger } from 'pino';
import { createLogger } from '../../common/src/logger';
import { CatalogService, createCatalogRouter } from './catalog';
import { type CatalogPort, createCatalogPort } from './catalog-port';
import { createCustomerRouter, CustomerService } from './customer';
import { createFinanceRouter, FinanceService } from './finance';
import { assignCorrelationId } from './http/correlation-id';
import { handleErrors, handleUnknownRoute } from './http/error-handler';
import { logRequests } from './http/request-logger';
import { createRecommendationRouter, RecommendationService } from './recommendation';
import { createWarehouseRouter, type PaymentGateway, WarehouseService } from './warehouse';
import { refuseNonJsonBodies } from '../../common/src/json-body';

export interface MonolithDeps {
  db: Knex;
  logger?: Logger;
  /** How finance, warehouse and recommendation read the catalog; default: the monolith's own tables. */
  catalog?: CatalogPort;
  /** Set for FINANCE_MODE=service: orders book money through finance-service in a saga. */
  payments?: PaymentGateway;
}

/**
 * Builds the MusicCorp monolith on a migrated database; it does not listen.
 *
 * @example const app = createApp({ db: openDatabase(parseDatabaseUrl(undefined, 'monolith')) });
 */
export function createApp({
  db,
  logger = createLogger('legacy-monolith'),
  catalog = createCatalogPort(db),
  payments,
}: MonolithDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(assignCorrelationId(logger));
  app.use(logRequests(logger));
  app.use(refuseNonJsonBodies());
  // strict: false lets JSON null or "text" reach the route, which answers with an example of its own body
  app.use(express.json({ limit: '100kb', strict: false }));

  app.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.use(createCatalogRouter(new CatalogService(db, catalog)));
  app.use(createCustomerRouter(new CustomerService(db)));
  app.use(createWarehouseRouter(new WarehouseService(db, { catalog, payments })));
  app.use(createFinanceRouter(new FinanceService(db, catalog)));
  app.use(createRecommendationRouter(new RecommendationService(db, catalog)));

  app.use(handleUnknownRoute());
  app.use(handleErrors(logger));
  return app;
}
