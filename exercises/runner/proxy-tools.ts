/**
 * The strangler proxy as exercise checks drive it: a copy of the learner's
 * routes file pointed at services on port 0, a real proxy on port 0, and a TCP
 * relay in front of a service to make it hang or die on cue.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { type Document, parseDocument } from 'yaml';
import { silentLogger } from '../../common/src/logger';
import { createProxy, type Proxy as StranglerProxy } from '../../strangler-proxy/src/create-proxy';
import type { CheckContext } from './check-kit';

export const ROUTES_FILE = path.join('strangler-proxy', 'routes.yaml');

/**
 * The tree's routes file as a YAML document, to rewrite for a scratch run:
 * `contracts:` dropped (these checks are not about contracts) and upstream URLs
 * replaced by the ones given.
 */
export function scratchRoutes(ctx: CheckContext, urls: Record<string, string>): Document {
  const doc = parseDocument(fs.readFileSync(path.join(ctx.root, ROUTES_FILE), 'utf8'));
  doc.delete('contracts');
  for (const [name, url] of Object.entries(urls)) doc.setIn(['upstreams', name, 'url'], url);
  return doc;
}

export interface ScratchProxy {
  proxy: StranglerProxy;
  url: string;
  adminUrl: string;
  adminToken: string;
  routesFile: string;
  admin<T>(pathname: string): Promise<T>;
}

/** A real proxy on 127.0.0.1:0 over a routes file written from `doc`; closed when the check ends. */
export async function startScratchProxy(
  ctx: CheckContext,
  doc: Document,
  options: { promotionCheckMs?: number } = {},
): Promise<ScratchProxy> {
  const routesFile = path.join(ctx.tempDir('routes'), 'routes.yaml');
  fs.writeFileSync(routesFile, doc.toString());
  const adminToken = crypto.randomBytes(24).toString('hex');
  const proxy = createProxy({
    routesFile,
    adminToken,
    logger: silentLogger(),
    watch: false,
    promotionCheckMs: options.promotionCheckMs,
  });
  const running = await proxy.listen({ port: 0, adminPort: 0 });
  ctx.defer(() => running.close());
  return {
    proxy,
    url: running.url,
    adminUrl: running.adminUrl,
    adminToken,
    routesFile,
    async admin<T>(pathname: string): Promise<T> {
      const answer = await fetch(`${running.adminUrl}${pathname}`, {
        headers: { authorization: `Bearer ${adminToken}` },
      });
      return (await answer.json()) as T;
    },
  };
}

export type RelayMode = 'forward' | 'hang' | 'dead';

export interface TcpRelay {
  url: string;
  /** forward: pass bytes; hang: accept and hold every connection, pass nothing; dead: refuse and reset. */
  set(mode: RelayMode): void;
}

/** A TCP relay to `target` on 127.0.0.1:0: the check's way to make a service hang or die. */
export async function startTcpRelay(ctx: CheckContext, target: string): Promise<TcpRelay> {
  const { hostname, port } = new URL(target);
  const pairs = new Set<{ client: net.Socket; upstream?: net.Socket }>();
  let mode: RelayMode = 'forward';
  const server = net.createServer((client) => {
    const pair: { client: net.Socket; upstream?: net.Socket } = { client };
    pairs.add(pair);
    client.on('error', () => {});
    client.on('close', () => {
      pair.upstream?.destroy();
      pairs.delete(pair);
    });
    if (mode !== 'forward') {
      client.pause();
      return;
    }
    const upstream = net.connect(Number(port), hostname);
    pair.upstream = upstream;
    upstream.on('error', () => client.destroy());
    upstream.on('close', () => client.destroy());
    client.pipe(upstream);
    upstream.pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const address = server.address() as net.AddressInfo;
  const kill = () => {
    server.close();
    for (const { client, upstream } of pairs) {
      client.destroy();
      upstream?.destroy();
    }
  };
  ctx.defer(kill);
  return {
    url: `http://127.0.0.1:${address.port}`,
    set(next) {
      mode = next;
      if (next === 'hang')
        for (const { client, upstream } of pairs) {
          client.unpipe();
          upstream?.unpipe();
          client.pause();
          upstream?.pause();
        }
      if (next === 'dead') kill();
    },
  };
}
