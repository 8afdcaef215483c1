import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Engine } from '../../common/src/database';
import { silentLogger } from '../../common/src/logger';
import { migrateLatest } from '../../common/src/migrate';
import { backfillFlow } from '../../data-movement/src/backfill';
import { type OpenDataSet, openDataSet } from '../../data-movement/src/endpoints';
import { orientByOwner, reorient } from '../../data-movement/src/owned-flow';
import { findDataSet } from '../../data-movement/src/spec/load-spec';
import { type SyncResult, syncFlow } from '../../data-movement/src/sync';
import { quietStream } from '../../data-movement/test/support/endpoints';
import {
  resetMonolithSequences,
  seedMonolith,
} from '../../data-movement/test/support/monolith-fixture';
import { type ChildOutcome, runDataCommand } from '../../data-movement/test/support/run-child';
import { copyExampleSpec } from '../../data-movement/test/support/spec-file';
import { loadConfig as loadCatalogConfig } from '../../extracted/catalog-service/src/config';
import { startCatalogService } from '../../extracted/catalog-service/src/main';
import { loadConfig as loadMonolithConfig } from '../../legacy-monolith/src/config';
import { startMonolith } from '../../legacy-monolith/src/main';
import { createProxy } from '../../strangler-proxy/src/create-proxy';
import { createTemporaryDatabase } from './engines';

export const ADMIN_TOKEN = 'handover-world-token-0123456789';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function routesYaml(monolith: string, catalog: string): string {
  return `version: 1
upstreams:
  monolith: { url: ${monolith}, healthPath: /health }
  catalog-service: { url: ${catalog}, healthPath: /health }
default: { to: monolith }
dataSets:
  catalog: { owner: monolith }
routes:
  - name: catalog-read
    match: { prefix: /catalog, methods: [GET, HEAD] }
    to: monolith
  - name: catalog
    match: { prefix: /catalog }
    to: monolith
    writes: catalog
`;
}

export interface HandoverWorld {
  open: OpenDataSet;
  proxy: { url: string; adminUrl: string };
  monolith: { url: string };
  specFile: string;
  routesFile: string;
  /** `strangler data handover catalog --to <to>` in a child process (it can be killed). */
  handover(to: string, env?: Record<string, string>, extra?: string[]): Promise<ChildOutcome>;
  /** `strangler data sync catalog` (one round) in a child process. */
  sync(): Promise<ChildOutcome>;
  /** The catalog's owner as the routes file says now. */
  owner(): string;
  stop(): Promise<void>;
}

/**
 * The catalog data set as a team runs it: the monolith and catalog-service
 * (each on its own database, backfilled), a real proxy with the catalog's
 * writes owned by the monolith, and a sync follower that follows the owner
 * (as `strangler data sync catalog --follow` does).
 */
export async function startHandoverWorld(
  engine: Engine,
  options: { onSync?: (result: SyncResult) => void; artists?: number } = {},
): Promise<HandoverWorld> {
  const cleanups: Array<() => Promise<unknown>> = [];
  const stop = async () => {
    while (cleanups.length > 0) await cleanups.pop()!().catch(() => undefined);
  };
  try {
    const monolithDb = await createTemporaryDatabase(engine, 'monolith');
    cleanups.push(() => monolithDb.cleanup());
    const catalogDb = await createTemporaryDatabase(engine, 'catalog-service');
    cleanups.push(() => catalogDb.cleanup());
    const seed = monolithDb.open();
    await migrateLatest(seed, 'legacy-monolith');
    await seedMonolith(seed, {
      artists: options.artists ?? 20,
      albumsPerArtist: 2,
      tracksPerAlbum: 1,
      orders: 0,
    });
    await resetMonolithSequences(seed);
    await seed.destroy();

    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'strangler-handover-'));
    cleanups.push(async () => fs.rmSync(dir, { recursive: true, force: true }));
    const routesFile = path.join(dir, 'routes.yaml');
    const spec = copyExampleSpec({ routesFile });
    cleanups.push(async () => spec.cleanup());

    const monolith = await startMonolith(
      loadMonolithConfig({
        PORT: '0',
        DATABASE_URL: monolithDb.url,
        LOG_LEVEL: 'silent',
        CATALOG_ADAPTER: 'database',
      }),
      { logger: silentLogger() },
    );
    cleanups.push(() => monolith.close());
    const catalog = await startCatalogService(
      loadCatalogConfig({
        CATALOG_PORT: '0',
        CATALOG_DATABASE_URL: catalogDb.url,
        LOG_LEVEL: 'silent',
      }),
    );
    cleanups.push(() => catalog.close());
    fs.writeFileSync(routesFile, routesYaml(monolith.url, catalog.url));

    const open = await openDataSet(findDataSet(spec.spec, 'catalog'), {
      source: monolithDb.url,
      target: catalogDb.url,
    });
    cleanups.push(() => open.close());
    const first = orientByOwner(open);
    await backfillFlow(first.endpoints, first.flow, { progressStream: quietStream });

    const proxy = await createProxy({
      routesFile,
      adminToken: ADMIN_TOKEN,
      logger: silentLogger(),
    }).listen({ port: 0, adminPort: 0 });
    cleanups.push(() => proxy.close());

    let following = true;

    const follower = (async () => {
      while (following) {
        try {
          const owned = reorient(open);
          options.onSync?.(await syncFlow(owned.endpoints, owned.flow));
        } catch {
          // a handover half-way (spec and routes file disagree) or a busy SQLite writer: next round
        }
        await sleep(50);
      }
    })();
    cleanups.push(async () => {
      following = false;
      await follower;
    });

    // The data set and the databases every `strangler data` command of this world names.
    const catalogSet = [
      'catalog',
      '--spec',
      spec.file,
      '--source',
      monolithDb.url,
      '--target',
      catalogDb.url,
    ];
    return {
      open,
      proxy,
      monolith,
      specFile: spec.file,
      routesFile,
      handover: (to, env = {}, extra = []) =>
        runDataCommand(
          [
            'handover',
            ...catalogSet,
            '--to',
            to,
            '--admin-url',
            proxy.adminUrl,
            '--hold-ms',
            '3000',
            ...extra,
          ],
          0,
          { STRANGLER_ADMIN_TOKEN: ADMIN_TOKEN, ...env },
        ),
      sync: () => runDataCommand(['sync', ...catalogSet]),
      owner: () =>
        /^ {2}catalog:\s*\{\s*owner:\s*([A-Za-z0-9_-]+)|^\s+owner:\s*([A-Za-z0-9_-]+)/m
          .exec(fs.readFileSync(routesFile, 'utf8'))
          ?.slice(1)
          .find(Boolean) ?? 'unknown',
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
