import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Registry } from 'prom-client';
import { openDatabase } from '../../../common/src/database';
import { createLogger } from '../../../common/src/logger';
import { migrateLatest } from '../../../common/src/migrate';
import { type RunningService, runServiceUntilSignal } from '../../../common/src/run-service';
import { openBroker } from '../broker/open-broker';
import { startConsumer } from '../consumer/consumer';
import { createEventsMetrics } from '../metrics';
import { loadMonitorConfig, type MonitorConfig } from './monitor-config';
import { createProcessMonitor } from './process-monitor';

export const MONITOR_CONSUMER = 'process-monitor';

/**
 * The business-process monitor: consumes the events its processes name (idempotently, into its
 * own database) and serves `GET /processes` (JSON), `GET /metrics` (Prometheus) and `GET /health`.
 *
 * @example await startProcessMonitor(loadMonitorConfig({ MONITOR_PROCESSES_FILE: 'legacy-monolith/processes.yaml' }))
 */
export async function startProcessMonitor(config: MonitorConfig): Promise<RunningService> {
  const logger = createLogger(MONITOR_CONSUMER, { level: config.logLevel });
  const db = openDatabase(config.database);
  await migrateLatest(db, 'process-monitor').catch(async (error) => {
    await db.destroy();
    throw error;
  });
  const registry = new Registry();
  const metrics = createEventsMetrics(registry);
  const monitor = createProcessMonitor({ db, processes: config.processes });
  monitor.registerMetrics(registry);
  const broker = await openBroker(config.events.broker, { logger }).catch(async (error) => {
    await db.destroy();
    throw error;
  });
  const types = [...new Set(config.processes.flatMap((p) => [p.start, ...p.steps]))];
  const consumer = await startConsumer({
    name: MONITOR_CONSUMER,
    db,
    broker,
    topics: types,
    handlers: monitor.handlers(),
    logger,
    metrics,
    paused: config.events.pausedConsumers,
  });
  const server = http.createServer((req, res) => {
    const send = (status: number, type: string, body: string) =>
      res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' }).end(body);
    const route = `${req.method} ${req.url?.split('?')[0]}`;
    const answer =
      route === 'GET /processes'
        ? monitor
            .summary()
            .then((summary) => send(200, 'application/json', JSON.stringify(summary)))
        : route === 'GET /metrics'
          ? registry.metrics().then((text) => send(200, registry.contentType, text))
          : route === 'GET /health'
            ? Promise.resolve(send(200, 'application/json', '{"status":"ok"}'))
            : Promise.resolve(
                send(
                  404,
                  'application/json',
                  '{"error":{"code":"NOT_FOUND","message":"try /processes, /metrics or /health"}}',
                ),
              );
    answer.catch((error: Error) => {
      logger.error({ err: error }, 'process monitor request failed');
      if (!res.headersSent)
        send(500, 'application/json', '{"error":{"code":"INTERNAL","message":"internal error"}}');
    });
  });
  await new Promise<void>((resolve, reject) =>
    server.once('error', reject).listen(config.port, config.host, resolve),
  );
  const url = `http://${config.host}:${(server.address() as AddressInfo).port}`;
  logger.info(
    { url, processes: config.processes.map((p) => p.name), broker: broker.where },
    'process monitor listening',
  );
  return {
    url,
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      });
      await consumer.close();
      await broker.close();
      await db.destroy();
    },
  };
}

if (require.main === module)
  runServiceUntilSignal('process-monitor', () => startProcessMonitor(loadMonitorConfig()));
