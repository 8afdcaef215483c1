import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseRoutesText, type RoutesFile } from '../../src/config';
import { type NginxDataPlane, findNginx, INSTALL_HINT, startNginxDataPlane } from '../../src/nginx';
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
