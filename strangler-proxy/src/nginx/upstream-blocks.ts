import type { RoutesFile } from '../config';
import type { CompiledRoute } from '../route-table';

export interface UpstreamBlock {
  /** The nginx upstream name: the routes file's name, `<name>__tryN` for a group N retries deep. */
  name: string;
  scheme: 'http' | 'https';
  /** host:port, also sent as the Host header (as the Node proxy does). */
  hostPort: string;
  /** Entries in the group: nginx retries on the next entry, so N tries need N entries. */
  tries: number;
  keepalive: number;
}

/** One nginx upstream group per routes-file upstream, and one per retry depth a route needs. */
export function nginxUpstreams(
  config: RoutesFile,
  routes: readonly CompiledRoute[],
): Map<string, UpstreamBlock> {
  const blocks = new Map<string, UpstreamBlock>();
  const add = (name: string, tries: number) => {
    const key = blockKey(name, tries);
    if (blocks.has(key)) return;
    const spec = config.upstreams[name];
    const url = new URL(spec.url);
    const scheme = url.protocol === 'https:' ? 'https' : 'http';
    const port = url.port || (scheme === 'https' ? '443' : '80');
    blocks.set(key, {
      name: key,
      scheme,
      hostPort: `${url.hostname}:${port}`,
      tries,
      keepalive: Math.min(spec.connections, 1024),
    });
  };
  for (const name of Object.keys(config.upstreams)) add(name, 1);
  for (const route of routes) {
    if (!route.retry) continue;
    add(route.to, route.retry.attempts + 1);
    add(config.default.to, route.retry.attempts + 1);
  }
  return blocks;
}

/** The nginx upstream group for `upstream` tried `tries` times. */
export function blockKey(upstream: string, tries: number): string {
  return tries > 1 ? `${upstream}__try${tries}` : upstream;
}
