import type { Knex } from 'knex';
import {
  type RunningService,
  runServiceUntilSignal,
  startService,
} from '../../../common/src/run-service';
import { createLogger } from '../../../common/src/logger';
import { openBroker } from '../../../events/src/broker/open-broker';
import { startConsumer } from '../../../events/src/consumer/consumer';
import { createEventsMetrics } from '../../../events/src/metrics';
import { createApp } from './app';
import { loadConfig, type ReportingConfig } from './config';
import { reportingHandlers } from './pump';
import { ReportingRepository } from './repository';

/**
 * Migrates the reporting database, serves the reports, and runs the pump (a consumer of
 * warehouse's events on the broker EVENTS_BROKER_URL names).
 */
export async function startReportingService(config: ReportingConfig): Promise<RunningService> {
  const logger = createLogger('reporting-service', { level: config.logLevel });
  const metrics = createEventsMetrics();
  let database: Knex | undefined;
  const service = await startService({
    name: 'reporting-service',
    database: config.database,
    host: config.host,
    port: config.port,
    logLevel: config.logLevel,
    createApp: (deps) => {
      database = deps.db;
      return createApp({ ...deps, metrics: metrics.registry });
    },
  });
  try {
    const db = database!;
    const broker = await openBroker(config.events.broker, { logger });
    const pump = await startConsumer({
      ...config.subscription,
      topics: [...config.subscription.topics],
      db,
      broker,
      logger,
      metrics,
      paused: config.events.pausedConsumers,
      handlers: reportingHandlers(new ReportingRepository(db)),
    }).catch(async (error) => {
      await broker.close();
      throw error;
    });
    return {
      url: service.url,
      async close() {
        await pump.close();
        await broker.close();
        await service.close();
      },
    };
  } catch (error) {
    await service.close();
    throw error;
  }
}

if (require.main === module)
  runServiceUntilSignal('reporting-service', () => startReportingService(loadConfig()));
