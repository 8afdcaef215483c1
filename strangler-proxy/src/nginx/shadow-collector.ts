import { randomBytes, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import { CORRELATION_HEADER } from '../../../common/src/correlation-id';
import type { RoutesFile } from '../config';
import {
  createHttpSender,
  noiseLearnerFor,
  createParallelRun,
  createShadowDispatcher,
  type ParallelRun,
  type ResultsStore,
  type ShadowDispatcher,
  type ShadowMetrics,
  type ShadowSpec,
} from '../shadow';

/** The headers nginx adds to a mirrored copy (shadow-mirror.ts); never forwarded upstream. */
export const SHADOW_HEADERS = {
  route: 'X-Strangler-Shadow-Route',
  primary: 'X-Strangler-Shadow-Primary',
  token: 'X-Strangler-Shadow-Token',
} as const;
const OWN = new Set(Object.values(SHADOW_HEADERS).map((h) => h.toLowerCase()));
const SAFE = new Set(['GET', 'HEAD']);

export interface ShadowCollectorOptions {
  /** The routes in force (read per copy, so a reload applies to the next one). */
  routes: () => RoutesFile;
  /** The store GET /admin/shadow and the dashboard read. */
  results: ResultsStore;
  metrics?: ShadowMetrics;
  logger: Logger;
  host?: string;
  /** Largest request body kept, and largest answer read for comparison (default 1 MiB). */
  maxBodyBytes?: number;
}

export interface ShadowCollector {
  host: string;
  port: number;
  token: string;
  /** Resolves once every received copy was compared or dropped. */
  drain(): Promise<void>;
  close(): Promise<void>;
}

interface RouteRun {
  run: ParallelRun;
  spec: ShadowSpec;
  /** The primary read again, per upstream, with the shadow's own limits. */
  primaries: Map<string, ShadowDispatcher>;
}

/**
 * The shadow collector of the nginx data plane: nginx `mirror`s a copy of a shadowed route's
 * request here and discards the answer, so the collector answers 204 as soon as the copy
 * arrived and then does the parallel run itself: it sends the copy to the primary (a second
 * read, moments after the client's) and to the candidate, and compares the two answers into
 * the proxy's results store. Only GET and HEAD are compared this way (a second read of a write
 * would perform it twice); a write to a sandbox candidate is sent to the candidate only and
 * counted, not compared. Both sides keep the route's `maxConcurrent` and `timeoutMs`.
 *
 * @example const collector = await startShadowCollector({ routes: () => store.current().config, results, logger });
 */
export async function startShadowCollector(
  options: ShadowCollectorOptions,
): Promise<ShadowCollector> {
  const token = randomBytes(24).toString('hex');
  const maxBytes = options.maxBodyBytes ?? 1024 * 1024;
  const runsByConfig = new WeakMap<RoutesFile, Map<string, RouteRun | null>>();
  const pending = new Set<Promise<unknown>>();

  function runFor(config: RoutesFile, name: string): RouteRun | null {
    let runs = runsByConfig.get(config);
    if (!runs) runsByConfig.set(config, (runs = new Map()));
    if (runs.has(name)) return runs.get(name) ?? null;
    const route = config.routes.find((r) => r.name === name);
    const spec = route?.shadow;
    const candidate = spec && config.upstreams[spec.upstream];
    if (!route || !spec || !candidate) {
      runs.set(name, null);
      return null;
    }
    const sender = (upstream: string) =>
      createHttpSender(config.upstreams[upstream].url, { maxBodyBytes: maxBytes });
    const learnFrom = route.to !== spec.upstream ? route.to : config.default.to;
    const run = createParallelRun({
      route: name,
      spec,
      store: options.results,
      metrics: options.metrics,
      learner: noiseLearnerFor(spec.learnNoise),
      sendCandidate: sender(spec.upstream),
      sendPrimary: spec.learnNoise !== false ? sender(learnFrom) : undefined,
    });
    const primaries = new Map<string, ShadowDispatcher>();
    for (const upstream of Object.keys(config.upstreams))
      if (upstream !== spec.upstream)
        primaries.set(
          upstream,
          createShadowDispatcher({
            maxConcurrent: spec.maxConcurrent,
            timeoutMs: spec.timeoutMs,
            send: sender(upstream),
          }),
        );
    const entry = { run, spec, primaries };
    runs.set(name, entry);
    return entry;
  }

  function drop(route: string, reason: string): void {
    options.results.countDropped(route, reason);
    options.metrics?.countDropped(route, reason);
  }

  function collect(req: http.IncomingMessage, body: Buffer | null): Promise<unknown> | undefined {
    const name = headerOf(req, SHADOW_HEADERS.route);
    const entry = name ? runFor(options.routes(), name) : null;
    // A copy for a route that lost its `shadow:` in a reload: nothing to compare it with.
    if (!name || !entry) return undefined;
    if (body === null) return void drop(name, 'body-too-large');
    const method = (req.method ?? 'GET').toUpperCase();
    const correlationId = headerOf(req, CORRELATION_HEADER) ?? '';
    const headers: Record<string, string | string[]> = {};
    for (const [header, value] of Object.entries(req.headers))
      if (value !== undefined && !OWN.has(header)) headers[header] = value;
    const request = {
      method,
      path: req.url ?? '/',
      headers,
      correlationId,
      body: body.length > 0 ? body : undefined,
    };
    if (!SAFE.has(method))
      // A sandbox keeps in step with the writes; any other candidate refuses them (counted as "method").
      return entry.spec.sandbox
        ? entry.run.sendOnly(request)
        : entry.run.mirror(request, Promise.resolve(undefined));
    const primary = entry.primaries.get(headerOf(req, SHADOW_HEADERS.primary) ?? '');
    const answer = primary
      ? primary.dispatch(request).then((o) => (o.status === 'answered' ? o.response : undefined))
      : Promise.resolve(undefined);
    return entry.run.mirror(request, answer);
  }

  const server = http.createServer((req, res) => {
    // SECURITY: only nginx (which has the token) may make the control plane send requests upstream.
    if (!sameToken(headerOf(req, SHADOW_HEADERS.token), token)) {
      req.resume();
      res.writeHead(403).end();
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= maxBytes) chunks.push(chunk);
    });
    req.on('error', () => undefined);
    req.on('end', () => {
      // nginx is answered before the comparison starts: the client's connection is never held by it.
      res.writeHead(204).end();
      const done = collect(req, size > maxBytes ? null : Buffer.concat(chunks, size));
      if (!done) return;
      const tracked = done
        .catch((error: Error) => options.logger.warn({ err: error }, 'shadow copy not compared'))
        .finally(() => pending.delete(tracked));
      pending.add(tracked);
    });
  });
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const drain = async () => {
    while (pending.size > 0) await Promise.all([...pending]);
  };
  return {
    host,
    port,
    token,
    drain,
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      });
      await drain();
    },
  };
}

function headerOf(req: http.IncomingMessage, name: string): string | undefined {
  const value = req.headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

function sameToken(given: string | undefined, token: string): boolean {
  if (!given || given.length !== token.length) return false;
  return timingSafeEqual(Buffer.from(given), Buffer.from(token));
}
