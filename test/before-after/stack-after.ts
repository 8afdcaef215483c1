import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import type { Engine } from '../../common/src/database';
import { createLogger } from '../../common/src/logger';
import { loadConfig as loadCatalogConfig } from '../../extracted/catalog-service/src/config';
import { startCatalogService } from '../../extracted/catalog-service/src/main';
import { backfillFlow } from '../../data-movement/src/backfill';
import { CHANGE_TABLE } from '../../data-movement/src/change-capture';
import { openOwnedFlow } from '../../data-movement/src/owned-flow';
import { findDataSet, loadSpec } from '../../data-movement/src/spec/load-spec';
import { syncFlow } from '../../data-movement/src/sync';
import { loadConfig as loadFinanceConfig } from '../../extracted/finance-service/src/config';
import { startFinanceService } from '../../extracted/finance-service/src/main';
import { applyCatalogSplit } from '../../legacy-monolith/src/catalog-split';
import { loadConfig as loadMonolithConfig } from '../../legacy-monolith/src/config';
import { startMonolith } from '../../legacy-monolith/src/main';
import { createProxy } from '../../strangler-proxy/src/create-proxy';
import { startNginxProxy } from '../../strangler-proxy/src/nginx';
import { createTemporaryDatabase, type TemporaryDatabase } from '../support/engines';
import type { RunningStack } from './stack';

export interface AfterOptions {
  /** Share of catalog reads sent to the catalog service; below 100 catalog writes stay on the monolith. */
  catalogPercent: number;
  /** Who forwards: the Node proxy, or nginx generated from the same routes file (`after-nginx`). */
  dataPlane: 'node' | 'nginx';
}

const quiet = (component: string) => createLogger(component, { level: 'silent' });

const quietStream = new Writable({
  write: (_chunk, _enc, done) => done(),
}) as unknown as NodeJS.WriteStream;

/** Copies a data set from the monolith (data-movement.yaml), then keeps applying captured changes until stopped. */
async function moveData(set: 'catalog' | 'finance', sourceUrl: string, targetUrl: string) {
  const { endpoints, flow, open } = await openOwnedFlow(findDataSet(loadSpec(), set), {
    source: sourceUrl,
    target: targetUrl,
  });
  await backfillFlow(endpoints, flow, { progressStream: quietStream });
  await syncFlow(endpoints, flow);
  let stopped = false;
  let running: Promise<unknown> = Promise.resolve();
  const timer = setInterval(() => {
    running = running.then(() =>
      stopped ? undefined : syncFlow(endpoints, flow).catch(() => undefined),
    );
  }, 100);
  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
      await open.close();
    },
  };
}

async function changeHighWaterMark(monolithDb: TemporaryDatabase): Promise<number> {
  const db = monolithDb.open();
  try {
    const row = await db(CHANGE_TABLE).max({ id: 'id' }).first();
    return Number(row?.id ?? 0);
  } finally {
    await db.destroy();
  }
}

/**
 * After cut-over of writes, the monolith must not write the tables it handed
 * over: the change-capture triggers on them would have recorded any write.
 */
async function verifyNoMonolithWrites(
  monolithDb: TemporaryDatabase,
  since: number,
  services: string[],
): Promise<string> {
  const tables = services
    .flatMap((set) => findDataSet(loadSpec(), set).source.tables.map((t) => t.name))
    .filter((t) => t !== 'countries');
  const db = monolithDb.open();
  try {
    const rows: Array<{ table_name: string; n: unknown }> = await db(CHANGE_TABLE)
      .where('id', '>', since)
      .whereIn('table_name', tables)
      .groupBy('table_name')
      .select('table_name')
      .count({ n: '*' });
    if (rows.length > 0) {
      throw new Error(
        `the monolith still wrote tables it handed over after cut-over: ${rows.map((r) => `${r.table_name} ×${r.n}`).join(', ')}`,
      );
    }
    return `monolith wrote none of ${tables.join(', ')} after cut-over`;
  } finally {
    await db.destroy();
  }
}

/** Reads the proxy's request counters and checks each route sent traffic where the mode says. */
async function verifyTrafficSplit(adminUrl: string, catalogPercent: number): Promise<string> {
  const text = await (await fetch(`${adminUrl}/metrics`)).text();
  const counts: Record<string, number> = {};
  for (const match of text.matchAll(
    /^strangler_proxy_requests_total\{route="([^"]+)",upstream="([^"]+)"[^}]*\} (\d+)/gm,
  )) {
    const key = `${match[1]}→${match[2]}`;
    counts[key] = (counts[key] ?? 0) + Number(match[3]);
  }
  const catalogRoute = catalogPercent >= 100 ? 'catalog' : 'catalog-read';
  const expected = [
    `${catalogRoute}→catalog-service`,
    'finance→finance-service',
    ...(catalogPercent < 100 ? [`${catalogRoute}→monolith`] : []),
  ];
  const missing = expected.filter((key) => !counts[key]);
  const summary = Object.entries(counts)
    .map(([key, n]) => `${key} ${n}`)
    .join(', ');
  if (missing.length > 0)
    throw new Error(`the proxy sent no requests along ${missing.join(', ')} (seen: ${summary})`);
  return `traffic: ${summary}`;
}

function routesYaml(
  urls: { monolith: string; catalog: string; finance: string },
  catalogPercent: number,
): string {
  const catalogRoutes =
    catalogPercent >= 100
      ? `  - name: catalog
    match: { prefix: /catalog }
    to: catalog-service
    fallback: false`
      : `  - name: catalog-read
    match: { prefix: /catalog, methods: [GET, HEAD] }
    to: catalog-service
    percent: ${catalogPercent}
    fallback: true`;
  return `version: 1
upstreams:
  monolith: { url: ${urls.monolith}, healthPath: /health }
  catalog-service: { url: ${urls.catalog}, healthPath: /health, serves: [/catalog, /v2/catalog] }
  finance-service: { url: ${urls.finance}, healthPath: /health, serves: [/finance] }
default:
  to: monolith
routes:
${catalogRoutes}
  - name: finance
    match: { prefix: /finance }
    to: finance-service
    fallback: false
`;
}

/**
 * `after`: proxy + monolith + catalog-service + finance-service, catalog and
 * finance data backfilled and syncing, finance routes flipped, catalog routes
 * flipped to `catalogPercent`. At 100 the monolith reads the catalog over HTTP
 * and its foreign keys into albums are moved into code (split migrations); below
 * 100 the monolith stays the catalog's system of record.
 */
export async function startAfterStack(
  engine: Engine,
  monolithDb: TemporaryDatabase,
  options: AfterOptions,
): Promise<RunningStack> {
  const cleanups: Array<() => Promise<unknown>> = [async () => monolithDb.cleanup()];
  const stop = async () => {
    while (cleanups.length > 0) await cleanups.pop()!().catch(() => undefined);
  };
  try {
    const catalogDb = await createTemporaryDatabase(engine, 'catalog-service');
    const financeDb = await createTemporaryDatabase(engine, 'finance-service');
    cleanups.push(
      () => catalogDb.cleanup(),
      () => financeDb.cleanup(),
    );
    const fullCatalog = options.catalogPercent >= 100;
    if (fullCatalog) {
      const db = monolithDb.open();
      await applyCatalogSplit(db).finally(() => db.destroy());
    }
    const catalogSync = await moveData('catalog', monolithDb.url, catalogDb.url);
    cleanups.push(() => catalogSync.stop());
    const financeSync = await moveData('finance', monolithDb.url, financeDb.url);
    cleanups.push(() => financeSync.stop());

    const writesSince = await changeHighWaterMark(monolithDb);
    const cutOver = fullCatalog ? ['catalog', 'finance'] : ['finance'];
    const catalog = await startCatalogService(
      loadCatalogConfig({
        CATALOG_PORT: '0',
        CATALOG_DATABASE_URL: catalogDb.url,
        LOG_LEVEL: 'silent',
      }),
    );
    cleanups.push(() => catalog.close());
    const finance = await startFinanceService(
      loadFinanceConfig({
        FINANCE_PORT: '0',
        FINANCE_DATABASE_URL: financeDb.url,
        CATALOG_SERVICE_URL: catalog.url,
        LOG_LEVEL: 'silent',
      }),
    );
    cleanups.push(() => finance.close());
    const monolith = await startMonolith(
      loadMonolithConfig({
        PORT: '0',
        DATABASE_URL: monolithDb.url,
        LOG_LEVEL: 'silent',
        CATALOG_ADAPTER: fullCatalog ? 'http' : 'database',
        CATALOG_SERVICE_URL: catalog.url,
        FINANCE_MODE: 'service',
        FINANCE_SERVICE_URL: finance.url,
      }),
      { logger: quiet('legacy-monolith') },
    );
    cleanups.push(() => monolith.close());

    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'strangler-routes-'));
    cleanups.push(async () => fs.rmSync(dir, { recursive: true, force: true }));
    const routesFile = path.join(dir, 'routes.yaml');
    fs.writeFileSync(
      routesFile,
      routesYaml(
        { monolith: monolith.url, catalog: catalog.url, finance: finance.url },
        options.catalogPercent,
      ),
    );
    const proxy =
      options.dataPlane === 'nginx'
        ? await startNginxProxy({
            routesFile,
            adminDisabled: true,
            port: 0,
            adminPort: 0,
            nginxDir: path.join(dir, 'nginx'),
            logger: quiet('strangler-proxy'),
          })
        : await createProxy({
            routesFile,
            adminDisabled: true,
            logger: quiet('strangler-proxy'),
          }).listen({ port: 0, adminPort: 0 });
    cleanups.push(() => proxy.close());
    return {
      url: proxy.url,
      verify: async () =>
        `${await verifyTrafficSplit(proxy.adminUrl, options.catalogPercent)}; ${await verifyNoMonolithWrites(monolithDb, writesSince, cutOver)}`,
      describe: `${options.dataPlane === 'nginx' ? 'nginx data plane' : 'proxy'} ${proxy.url} → monolith ${monolith.url}, catalog-service ${catalog.url} (${options.catalogPercent}% of catalog${fullCatalog ? '' : ' reads'}), finance-service ${finance.url} (100%), on ${engine}`,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
