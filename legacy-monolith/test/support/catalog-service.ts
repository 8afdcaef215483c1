import http, { type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Knex } from 'knex';
import type { Engine } from '../../../common/src/database';
import { createLogger } from '../../../common/src/logger';
import { createMigratedDatabase } from '../../../test/support/engines';
// The real catalog service, started in-process: the http adapter is tested against what it will meet.
import { createApp as createCatalogApp } from '../../../extracted/catalog-service/src/app';

export interface RunningCatalogService {
  url: string;
  db: Knex;
  /** Correlation IDs of the requests the service logged, in order. */
  correlationIds: string[];
  close(): Promise<void>;
}

export async function listenOnLoopback(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

export async function stopServer(server: Server): Promise<void> {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

/** The catalog service on a fresh migrated database of the engine, filled by `fill`, on 127.0.0.1:0. */
export async function startCatalogService(
  engine: Engine,
  fill: (db: Knex) => Promise<void>,
): Promise<RunningCatalogService> {
  const database = await createMigratedDatabase(engine, 'catalog-service', 'catalog-port');
  const db = database.db;
  await fill(db);
  const correlationIds: string[] = [];
  const logger = createLogger('catalog-service', {
    level: 'info',
    destination: {
      write: (line: string) =>
        void (
          JSON.parse(line).correlationId && correlationIds.push(JSON.parse(line).correlationId)
        ),
    },
  });
  const server = http.createServer(createCatalogApp({ db, logger }));
  const url = await listenOnLoopback(server);
  return {
    url,
    db,
    correlationIds,
    async close() {
      await stopServer(server);
      await db.destroy();
      await database.cleanup();
    },
  };
}

/** A server that accepts requests and never answers: a hung upstream. */
export async function startSilentServer(): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer(() => undefined);
  const url = await listenOnLoopback(server);
  return { url, close: () => stopServer(server) };
}
