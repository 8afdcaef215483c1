import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { stringify } from 'yaml';
import { routesFileSchema, type RoutesFile } from '../../src/config-schema';

export const ADMIN_TOKEN = 'test-admin-token-0123456789';

/** A routes document (plain data, before validation) with a monolith default. */
export function routesDoc(
  upstreams: Record<string, string | Record<string, unknown>>,
  routes: unknown[] = [],
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  const ups = Object.fromEntries(
    Object.entries(upstreams).map(([name, value]) => [
      name,
      typeof value === 'string' ? { url: value } : value,
    ]),
  );
  return { version: 1, upstreams: ups, default: { to: 'monolith' }, routes, ...extra };
}

/** Validated in-memory configuration for createProxy({ routes }). */
export function routesConfig(doc: Record<string, unknown>): RoutesFile {
  return routesFileSchema.parse(doc);
}

const tempDirs: string[] = [];
process.once('exit', () => {
  for (const dir of tempDirs) fs.rmSync(dir, { recursive: true, force: true });
});

/** Writes a routes file into a fresh temp folder (removed when the test process exits); returns its path. */
export function writeRoutesFile(doc: Record<string, unknown>, name = 'routes.yaml'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'strangler-proxy-'));
  tempDirs.push(dir);
  const file = path.join(dir, name);
  fs.writeFileSync(file, name.endsWith('.json') ? JSON.stringify(doc, null, 2) : stringify(doc));
  return file;
}
