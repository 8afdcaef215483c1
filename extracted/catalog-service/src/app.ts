import express, { type Express } from 'express';
import type { Knex } from 'knex';
import type { Logger } from 'pino';
import { silentLogger } from '../../../common/src/logger';
import { reportServiceVersion } from '../../../common/src/service-version';
import { assignCorrelationId, logRequests } from '../../../common/src/express-request-context';
import { handleErrors, handleUnknownRoute } from './http/error-handler';
import { SERVICE_VERSION } from './version';
import { CatalogRepository } from './repository';
import { catalogRoutes } from './routes';
import { catalogRoutesV2 } from './routes-v2';
import { routeByVersionHeader } from './http/api-version';
import { CatalogService } from './service';
import { refuseNonJsonBodies } from '../../../common/src/json-body';

export interface CatalogDeps {
  db: Knex;
  logger?: Logger;
}

/**
 * Builds the catalog service's Express app on a migrated database.
 *
 * @example const app = createApp({ db: openDatabase(parseDatabaseUrl(undefined, 'catalog-service')) });
 */
export function createApp(deps: CatalogDeps): Express {
  const logger = deps.logger ?? silentLogger();
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  app.use(assignCorrelationId(logger));
  app.use(logRequests(logger));
  app.use(refuseNonJsonBodies());
  // strict: false lets JSON null or "text" reach the route, which answers with an example of its own body
  app.use(express.json({ limit: '100kb', strict: false }));
  app.use(reportServiceVersion('catalog-service', SERVICE_VERSION));
  const service = new CatalogService(new CatalogRepository(deps.db));
  app.use(routeByVersionHeader());
  app.use(catalogRoutes(service));
  app.use(catalogRoutesV2(service));
  app.use(handleUnknownRoute());
  app.use(handleErrors(logger));
  return app;
}
