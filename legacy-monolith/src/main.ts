import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import { openDatabase, redactUrl } from '../../common/src/database';
import { createLogger } from '../../common/src/logger';
import { migrateLatest } from '../../common/src/migrate';
import { createApp } from './app';
import { createCatalogPort } from './catalog-port';
import { loadConfig, type MonolithConfig } from './config';
import { startMonolithEvents } from './events/start-events';
import { createFinanceServiceClient, WarehouseService } from './warehouse';

export interface RunningMonolith {
  url: string;
  close(): Promise<void>;
}

/**
 * Migrates the database, then serves the monolith; `close()` stops accepting, finishes requests, closes the pool.
 *
 * @example const monolith = await startMonolith(loadConfig({ PORT: '0' })); await monolith.close();
 */
export async function startMonolith(
  config: MonolithConfig,
  options: { logger?: Logger } = {},
): Promise<RunningMonolith> {
  const logger = options.logger ?? createLogger('legacy-monolith', { level: config.logLevel });
  const db = openDatabase(config.database);
  try {
    await migrateLatest(db, 'legacy-monolith');
  } catch (error) {
    await db.destroy();
    throw error;
  }
  const catalog = createCatalogPort(db, config.catalog);
  const payments =
    config.finance.mode === 'service'
      ? createFinanceServiceClient({
          baseUrl: config.finance.url,
          timeoutMs: config.finance.timeoutMs,
        })
      : undefined;
  // With EVENTS_BROKER_URL set, the outbox is relayed to the broker; without, events wait in it.
  const events = config.events.brokerConfigured
    ? await startMonolithEvents(db, config.events, logger).catch(async (error) => {
        await db.destroy();
        throw error;
      })
    : undefined;
  const server = createApp({ db, logger, catalog, payments }).listen(config.port, config.host);
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  }).catch(async (error) => {
    await events?.close();
    await db.destroy();
    throw error;
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;
  const where =
    config.database.engine === 'postgres'
      ? redactUrl(config.database.location)
      : config.database.location;
  logger.info(
    {
      url,
      engine: config.database.engine,
      database: where,
      catalog: config.catalog.adapter,
      finance: config.finance.mode,
    },
    'legacy-monolith listening',
  );
  const settler =
    payments &&
    startSettler(
      new WarehouseService(db, { catalog, payments }),
      config.finance.mode === 'service' ? config.finance.timeoutMs : 0,
      logger,
    );

  let closing: Promise<void> | undefined;
  const close = () => {
    if (settler) clearInterval(settler);
    closing ??= new Promise<void>((resolve) => {
      server.close(() => resolve());
      // Keep-alive sockets would hold close() open; idle ones can go now, busy ones after their response.
      server.closeIdleConnections();
    })
      .then(() => events?.close())
      .then(() => db.destroy());
    return closing;
  };
  return { url, close };
}

/** FINANCE_MODE=service: completes or compensates orders a saga left pending (after a crash or a failed compensation). */
function startSettler(
  warehouse: WarehouseService,
  timeoutMs: number,
  logger: Logger,
): NodeJS.Timeout {
  // Only orders older than a few finance timeouts: younger ones may still be in their saga.
  const olderThanMs = Math.max(4 * timeoutMs, 10_000);
  const timer = setInterval(() => {
    warehouse.settlePendingOrders(olderThanMs).then(
      (outcome) => {
        if (outcome.completed.length + outcome.compensated.length + outcome.pending.length > 0)
          logger.info(outcome, 'settled pending orders');
      },
      (error: Error) => logger.error({ err: error }, 'settling pending orders failed'),
    );
  }, olderThanMs);
  timer.unref();
  return timer;
}

async function main(): Promise<void> {
  const config = loadConfig();
  const monolith = await startMonolith(config);
  const stop = (signal: string) => {
    process.stderr.write(`legacy-monolith: ${signal} received, shutting down\n`);
    monolith.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
}

if (require.main === module) {
  main().catch((error: Error) => {
    process.stderr.write(`legacy-monolith failed to start: ${error.message}\n`);
    process.exit(1);
  });
}
