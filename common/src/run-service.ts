import type { Express } from 'express';
import type { Knex } from 'knex';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type DatabaseTarget, openDatabase } from './database';
import { createLogger, type Logger } from './logger';
import { migrateLatest } from './migrate';

export interface RunningService {
  url: string;
  close(): Promise<void>;
}

export interface ServiceSpec {
  /** The component: its logger name and its folder under migrations/. */
  name: string;
  database: DatabaseTarget;
  host: string;
  port: number;
  logLevel: string;
  createApp(deps: { db: Knex; logger: Logger }): Express;
}

/**
 * Migrates a service's own database, then listens; `close()` stops accepting
 * requests and closes the database. No domain: each service passes its app.
 *
 * @example startService({ name: 'catalog-service', ...config, createApp })
 */
export async function startService(spec: ServiceSpec): Promise<RunningService> {
  const logger = createLogger(spec.name, { level: spec.logLevel });
  const db = openDatabase(spec.database);
  let server: Server;
  try {
    await migrateLatest(db, spec.name);
    server = spec.createApp({ db, logger }).listen(spec.port, spec.host);
    await new Promise<void>((resolve, reject) =>
      server.once('listening', resolve).once('error', reject),
    );
  } catch (error) {
    // A service that cannot start (port taken, migration refused) leaves no open database behind.
    await db.destroy();
    throw error;
  }
  const { port } = server.address() as AddressInfo;
  const url = `http://${spec.host}:${port}`;
  logger.info({ url, engine: spec.database.engine }, `${spec.name} listening`);
  return {
    url,
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      await closed;
      await db.destroy();
    },
  };
}

/** A service's `main`: start, stop cleanly on SIGINT/SIGTERM, exit 1 with the reason when it cannot start. */
export function runServiceUntilSignal(name: string, start: () => Promise<RunningService>): void {
  start()
    .then((service) => {
      const stop = () => void service.close().then(() => process.exit(0));
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    })
    .catch((error: Error) => {
      process.stderr.write(`${name} failed to start: ${error.message}\n`);
      process.exit(1);
    });
}
