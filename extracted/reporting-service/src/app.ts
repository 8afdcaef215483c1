import express, { type ErrorRequestHandler, type Express } from 'express';
import type { Knex } from 'knex';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import {
  assignCorrelationId,
  loggerOf,
  logRequests,
} from '../../../common/src/express-request-context';
import { silentLogger } from '../../../common/src/logger';
import { ReportingError, statusOf } from './errors';
import { Reports } from './reports';
import { ReportingRepository } from './repository';
import { reportingRoutes } from './routes';

export interface ReportingDeps {
  db: Knex;
  logger?: Logger;
  /** Served at /metrics (the pump's counters). */
  metrics?: Registry;
}

function handleErrors(logger: Logger): ErrorRequestHandler {
  return (error, _req, res, _next) => {
    const known = error instanceof ReportingError ? error : undefined;
    if (!known) loggerOf(res.locals, logger).error({ err: error }, 'request failed');
    const code = known?.code ?? 'INTERNAL';
    res.status(statusOf(code)).json({
      error: {
        code,
        message: known?.message ?? 'internal error',
        ...(known?.field ? { field: known.field } : {}),
      },
    });
  };
}

/**
 * The reporting service's app: reports read from its own database, which only the pump writes.
 *
 * @example createApp({ db })
 */
export function createApp(deps: ReportingDeps): Express {
  const logger = deps.logger ?? silentLogger();
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  app.use(assignCorrelationId(logger));
  app.use(logRequests(logger));
  app.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/metrics', async (_req, res) => {
    res.type('text/plain; version=0.0.4').send(deps.metrics ? await deps.metrics.metrics() : '');
  });
  app.use(reportingRoutes(new Reports(new ReportingRepository(deps.db))));
  app.use((req, _res, next) =>
    next(new ReportingError('NOT_FOUND', `no route for ${req.method} ${req.path}`)),
  );
  app.use(handleErrors(logger));
  return app;
}
