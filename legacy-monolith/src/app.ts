import express, { Express } from 'express';
import type { Knex } from 'knex';
import type { Logger } from 'pino';
import { createLogger } from '../../common/src/logger';
import { CatalogService, createCatalogRouter } from './catalog';
import { createCustomerRouter, CustomerService } from './customer';
import { createFinanceRouter, FinanceService } from './finance';
import { assignCorrelationId } from './http/correlation-id';
import { handleErrors, handleUnknownRoute } from './http/error-handler';
import { logRequests } from './http/request-logger';
import { createRecommendationRouter, RecommendationService } from './recommendation';
import { createWarehouseRouter, WarehouseService } from './warehouse';

export interface MonolithDeps {
  db: Knex;
  logger?: Logger;
}

/**
 * Builds the MusicCorp monolith on a migrated database; it does not listen.
 *
 * @example const app = createApp({ db: openDatabase(parseDatabaseUrl(undefined, 'monolith')) });
 */
export function createApp({ db, logger = createLogger('legacy-monolith') }: MonolithDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(assignCorrelationId(logger));
  app.use(logRequests(logger));
  app.use(express.json({ limit: '100kb' }));

  app.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.use(createCatalogRouter(new CatalogService(db)));
  app.use(createCustomerRouter(new CustomerService(db)));
  app.use(createWarehouseRouter(new WarehouseService(db)));
  app.use(createFinanceRouter(new FinanceService(db)));
  app.use(createRecommendationRouter(new RecommendationService(db)));

  app.use(handleUnknownRoute());
  app.use(handleErrors(logger));
  return app;
}
