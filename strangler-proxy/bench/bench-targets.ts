import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { createLogger } from '../../common/src/logger';
import { createProxy } from '../src/create-proxy';
import { createForwarder, type EngineName } from '../src/forwarder';

/**
 * One benchmark target per child process (so each gets its own event loop):
 * `node dist/strangler-proxy/bench/bench-targets.js <kind> [upstreamUrl]` prints `READY <url>`.
 */
const [kind, upstreamUrl] = process.argv.slice(2);
const cleanups: Array<() => void> = [];

function ready(server: http.Server): void {
  server.listen(0, '127.0.0.1', () =>
    process.stdout.write(`READY http://127.0.0.1:${(server.address() as AddressInfo).port}\n`),
  );
}

// A small JSON answer, like a monolith endpoint.
function startUpstream(): void {
  const body = JSON.stringify({
    id: 1,
    title: 'Kind of Blue',
    artist: 'Miles Davis',
    priceCents: 1299,
  });
  const server = http.createServer((req, res) => {
    req.resume();
    res.writeHead(200, {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(body),
    });
    res.end(body);
  });
  server.keepAliveTimeout = 30_000;
  ready(server);
}

// The card's baseline: bare http-proxy (unmaintained since 2020) with a keep-alive agent.
function startBareHttpProxy(): void {
  const httpProxy = require('http-proxy');
  const agent = new http.Agent({ keepAlive: true, maxSockets: 128 });
  const proxy = httpProxy.createProxyServer({ target: upstreamUrl, agent });
  proxy.on('error', (_error: Error, _req: http.IncomingMessage, res: http.ServerResponse) =>
    res.writeHead(502).end(),
  );
  ready(http.createServer((req, res) => proxy.web(req, res)));
}

/** The engine alone (no routing, logs, metrics, breaker): the ceiling the features are measured against. */
function startBareUndici(): void {
  const forwarder = createForwarder('undici');
  const { origin, host } = new URL(upstreamUrl);
  ready(
    http.createServer((req, res) => {
      forwarder.send(
        {
          origin,
          connections: 128,
          method: req.method ?? 'GET',
          path: req.url ?? '/',
          headers: { host },
          body: null,
          timeoutMs: 30_000,
          req,
          res,
        },
        {
          onResponse: (status, raw) => {
            res.writeHead(
              status,
              raw.map((value) => value.toString('latin1')),
            );
            return true;
          },
          onEnd: () => undefined,
          onFailure: () => res.writeHead(502).end(),
        },
      );
    }),
  );
}

/** The strangler proxy with every feature on: several routes, metrics, info logs to a file, breakers. */
async function startStrangler(engine: EngineName): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'strangler-bench-'));
  const routesFile = path.join(dir, 'routes.yaml');
  fs.writeFileSync(
    routesFile,
    `version: 1
upstreams:
  monolith: { url: "${upstreamUrl}", healthPath: /health }
  catalog-service: { url: "${upstreamUrl}", breaker: { failureRate: 0.5, minRequests: 20 } }
  finance-service: { url: "${upstreamUrl}" }
default: { to: monolith }
routes:
  - { name: finance, match: { prefix: /finance }, to: finance-service, fallback: true }
  - { name: album, match: { path: /catalog/albums/:id, methods: [GET, HEAD] }, to: catalog-service, fallback: true, retry: { attempts: 1 } }
  - { name: catalog, match: { prefix: /catalog }, to: catalog-service, percent: 100, sticky: { header: x-customer-id }, fallback: true }
  - { name: customers, match: { prefix: /customers }, to: monolith }
`,
  );
  // Info logs exactly as `strangler proxy start` writes them: asynchronously to stdout, which the bench drains.
  const logger = createLogger('strangler-proxy', { level: 'info', async: true });
  const proxy = createProxy({
    routesFile,
    engine,
    logger,
    adminToken: 'bench-admin-token-0123456789',
    watch: true,
  });
  const running = await proxy.listen({ port: 0, adminPort: 0 });
  cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }));
  process.stdout.write(`READY ${running.url}\n`);
}

const starters: Record<string, () => void | Promise<void>> = {
  upstream: startUpstream,
  'bare-http-proxy': startBareHttpProxy,
  'bare-undici': startBareUndici,
  'strangler-undici': () => startStrangler('undici'),
  'strangler-http-proxy-3': () => startStrangler('http-proxy-3'),
};

const start = starters[kind];
if (!start) {
  process.stderr.write(`unknown target "${kind}" (known: ${Object.keys(starters).join(', ')})\n`);
  process.exit(2);
}
void start();

// A clean exit on SIGTERM/SIGINT removes temp files and lets `node --cpu-prof` write its profile.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    for (const cleanup of cleanups) cleanup();
    process.exit(0);
  });
}
