import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseRoutesText, type RoutesFile } from '../../src/config';
import { silentLogger } from '../../../common/src/logger';
import {
  type NginxDataPlane,
  type NginxProxyOptions,
  type RunningNginxProxy,
  findNginx,
  INSTALL_HINT,
  startNginxDataPlane,
  startNginxProxy,
} from '../../src/nginx';
import { ADMIN_TOKEN } from '../support/routes';
import { Agent, fetch } from 'undici';
import { stringify } from 'yaml';

/**
 * `describe` when nginx is installed; otherwise `describe.skip` with the reason
 * printed. Under CI=true a missing nginx is a failure (.ci/run installs it), not a skip.
 */
export function describeWithNginx(title: string, body: () => void): void {
  if (findNginx() || process.env.CI === 'true') {
    describe(title, body);
    return;
  }
  console.warn(`${title}: skipped, nginx is not installed (${INSTALL_HINT})`);
  describe.skip(`${title} (skipped: nginx is not installed)`, body);
}

/** A routes document validated by the proxy's own loader (the nginx export reads the same object). */
export function loadRoutes(doc: Record<string, unknown>): RoutesFile {
  return parseRoutesText(JSON.stringify(doc), 'routes.json');
}

export function routesYaml(doc: Record<string, unknown>): string {
  return stringify(doc);
}

/** nginx serving `routes` from a temporary prefix folder on a free loopback port; `stop` removes the folder. */
export async function nginxFor(
  routes: RoutesFile,
  allowDrop: Parameters<typeof startNginxDataPlane>[0]['allowDrop'] = [],
): Promise<NginxDataPlane> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'strangler-nginx-test-'));
  try {
    const plane = await startNginxDataPlane({ routes, source: 'routes.json', dir, allowDrop });
    return {
      ...plane,
      async stop() {
        await plane.stop();
        fs.rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    fs.rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}

/** Asks `probe` again (every 50 ms) until `ok` holds or `withinMs` ran out; returns the last answer for the test to judge. */
export async function eventually<T>(
  probe: () => Promise<T>,
  ok: (value: T) => boolean,
  withinMs = 8_000,
): Promise<T> {
  const deadline = Date.now() + withinMs;
  for (;;) {
    const value = await probe();
    if (ok(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export interface NginxProxyUnderTest {
  proxy: RunningNginxProxy;
  /** The temporary folder: routes.yaml, and nginx's prefix in nginx/. */
  dir: string;
  routesFile: string;
  /** Stops the proxy (and nginx) and removes the folder. */
  close(): Promise<void>;
}

/** `proxy start --engine nginx` on a routes document, admin API on a free port with the test token. */
export async function startNginxProxyOn(
  doc: Record<string, unknown>,
  options: Pick<NginxProxyOptions, 'promotionCheckMs'> = {},
): Promise<NginxProxyUnderTest> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'strangler-nginx-proxy-'));
  const routesFile = path.join(dir, 'routes.yaml');
  fs.writeFileSync(routesFile, routesYaml(doc));
  const remove = () => fs.rmSync(dir, { recursive: true, force: true });
  const proxy = await startNginxProxy({
    routesFile,
    adminToken: ADMIN_TOKEN,
    port: 0,
    adminPort: 0,
    nginxDir: path.join(dir, 'nginx'),
    logger: silentLogger(),
    ...options,
  }).catch((error: Error) => {
    remove();
    throw error;
  });
  return {
    proxy,
    dir,
    routesFile,
    async close() {
      await proxy.close();
      remove();
    },
  };
}

// No keep-alive: every request on a connection of its own.
const oneConnectionPerRequest = new Agent({ pipelining: 0 });

/**
 * fetch on a new connection for every request. necessary where nginx reloads while a test
 * sends: a reload closes idle keep-alive connections, and a request sent on one at that moment
 * fails with "other side closed" (a client would send it again).
 */
export function fetchFresh(url: string, init: Parameters<typeof fetch>[1] = {}) {
  return fetch(url, { ...init, dispatcher: oneConnectionPerRequest });
}
