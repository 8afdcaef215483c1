import { createHash } from 'node:crypto';
import fs from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import { projectPath } from '../../../common/src/project-root';
import { ProxyError } from '../errors';
import { sendAsset } from './security-headers';

/**
 * The page's static files. Always the source tree's copy: the compiler writes only .ts output
 * to dist/, so a proxy running compiled JavaScript still reads these from here.
 */
export const BROWSER_DIR = projectPath('strangler-proxy', 'src', 'dashboard', 'browser');
export const ASSETS_PREFIX = '/dashboard/assets/';

const JAVASCRIPT = 'text/javascript; charset=utf-8';
// SECURITY: the only names served. A request is looked up here and never joined to a path,
// so no URL (dot segments, encoded slashes) can reach another file.
const ASSET_TYPES: Record<string, string> = {
  'dashboard.js': JAVASCRIPT,
  'page.js': JAVASCRIPT,
  'traffic.js': JAVASCRIPT,
  'shadow.js': JAVASCRIPT,
  'processes.js': JAVASCRIPT,
  'dashboard.css': 'text/css; charset=utf-8',
};

interface Asset {
  body: Buffer;
  contentType: string;
  etag: string;
}

/** Reads every asset once (at start: no request reads a file); a missing one fails here, by name. */
export function loadAssets(dir: string = BROWSER_DIR): Map<string, Asset> {
  const assets = new Map<string, Asset>();
  for (const [name, contentType] of Object.entries(ASSET_TYPES)) {
    const file = path.join(dir, name);
    let body: Buffer;
    try {
      body = fs.readFileSync(file);
    } catch (error) {
      throw new Error(
        `dashboard: cannot read ${file} (${(error as NodeJS.ErrnoException).code}); the proxy serves the page's files from the source tree, so keep ${path.relative(process.cwd(), dir) || dir} next to it`,
      );
    }
    const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
    assets.set(name, { body, contentType, etag });
  }
  return assets;
}

/** GET/HEAD /dashboard/assets/<name>: one of the known files, 304 when the browser has it, else 404. */
export function sendBrowserAsset(
  assets: Map<string, Asset>,
  req: IncomingMessage,
  res: ServerResponse,
  pathname: string,
): void {
  const name = pathname.slice(ASSETS_PREFIX.length);
  const asset = assets.get(name);
  if (!asset)
    throw new ProxyError(
      'ERR_ADMIN_NOT_FOUND',
      `no such dashboard asset "${name}" (known: ${[...assets.keys()].join(', ')})`,
    );
  const fresh = req.headers['if-none-match'] === asset.etag;
  sendAsset(res, fresh ? 304 : 200, fresh ? null : asset.body, {
    'content-type': asset.contentType,
    etag: asset.etag,
  });
}
