import type { Logger } from 'pino';
import { CORRELATION_HEADER } from '../../../common/src/correlation-id';
import type { Registry } from 'prom-client';
import type { Exchange, ProxyPlugin } from '../exchange';
import { type RouteTable, stickyKeyOf } from '../route-table';
import { BUCKETS, bucketOf } from '../sticky-hash';
import { createHttpSender } from './http-sender';
import { noiseLearnerFor } from './noise-learner';
import { createParallelRun, type ParallelRun } from './parallel-run';
import { createResultsStore, type ResultsStore } from './results-store';
import { createShadowMetrics } from './shadow-metrics';
import { hasBody } from '../body-limit';
import { tapRequestBody } from './tap-request-body';
import { tapResponse } from './tap-response';

export interface ShadowPluginOptions {
  registry: Registry;
  logger: Logger;
  store?: ResultsStore;
  /** Largest primary answer (and mirrored request body) kept for comparison; larger ones are dropped and counted. */
  maxCaptureBytes?: number;
}

const SAFE = new Set(['GET', 'HEAD']);

interface ShadowedRoute {
  run: ParallelRun;
  candidate: string;
  sandbox: boolean;
  percent: number;
}

/**
 * The parallel run as a proxy plugin: for a route with `shadow:`, the client's answer
 * is copied as it streams (never delayed or changed), the request is mirrored to the
 * shadow upstream through the route's dispatcher, and the comparison lands in one results store.
 */
export function createShadowPlugin(options: ShadowPluginOptions) {
  const store = options.store ?? createResultsStore();
  const metrics = createShadowMetrics(options.registry);
  const maxBytes = options.maxCaptureBytes ?? 1024 * 1024;
  // One set of runs per table: a reload builds new dispatchers (new spec, new origin), in-flight ones finish on the old.
  const runsByTable = new WeakMap<RouteTable, Map<string, ShadowedRoute | null>>();
  const pending = new Set<Promise<unknown>>();

  function runFor(exchange: Exchange): ShadowedRoute | undefined {
    let runs = runsByTable.get(exchange.table);
    if (!runs) runsByTable.set(exchange.table, (runs = new Map()));
    const route = exchange.decision!.route;
    if (runs.has(route.name)) return runs.get(route.name) ?? undefined;
    const spec = exchange.table.config.routes.find((r) => r.name === route.name)?.shadow;
    const candidate = spec && exchange.upstreams.get(spec.upstream);
    if (!spec || !candidate) return void runs.set(route.name, null);
    // Under a canary towards the candidate itself, the rest of the traffic (the primary) goes to the monolith.
    const primary = exchange.upstreams.get(
      route.to !== spec.upstream ? route.to : exchange.table.monolith,
    );
    const learning = spec.learnNoise !== false && primary !== undefined;
    const run = createParallelRun({
      route: route.name,
      spec,
      store,
      metrics,
      learner: noiseLearnerFor(spec.learnNoise),
      sendCandidate: createHttpSender(candidate.origin, { maxBodyBytes: maxBytes }),
      sendPrimary: learning
        ? createHttpSender(primary.origin, { maxBodyBytes: maxBytes })
        : undefined,
    });
    const shadowed = {
      run,
      candidate: spec.upstream,
      sandbox: spec.sandbox,
      percent: spec.percent,
    };
    runs.set(route.name, shadowed);
    return shadowed;
  }

  function mirror(exchange: Exchange): void {
    const decision = exchange.decision;
    if (!decision) return;
    const shadow = runFor(exchange);
    // Comparing the candidate with itself proves nothing: skip requests the canary already sent there.
    if (!shadow || decision.upstream === shadow.candidate) return;
    if (shadow.percent < 100 && !inShadowShare(exchange, shadow)) return;
    const { run } = shadow;
    const { req, res, correlationId } = exchange;
    const method = (req.method ?? 'GET').toUpperCase();
    const request = {
      method,
      path: exchange.target!.path + exchange.target!.query,
      headers: { ...copyHeaders(req.headers), [CORRELATION_HEADER]: correlationId },
      correlationId,
    };
    // A write to a candidate that is not a sandbox is refused (and counted) by the dispatcher: copy nothing for it.
    if (!SAFE.has(method) && !shadow.sandbox)
      return void run.mirror(request, Promise.resolve(undefined));
    const answer = tapResponse(res, maxBytes);
    const primary = new Promise<ReturnType<typeof answer.snapshot>>((resolve) =>
      res.once('close', () => resolve(exchange.error ? undefined : answer.snapshot())),
    );
    // A sandbox gets the write's body, once it arrived whole.
    const body =
      hasBody(req) && !SAFE.has(method)
        ? tapRequestBody(req, maxBytes)
        : Promise.resolve(undefined);
    const done = body
      .then((buffer) => run.mirror({ ...request, body: buffer }, primary))
      .then((result) =>
        options.logger.debug(
          { correlationId, route: decision.route.name, result },
          'shadow compared',
        ),
      )
      .catch(() => undefined)
      .finally(() => pending.delete(done));
    pending.add(done);
  }

  const plugin: ProxyPlugin = {
    name: 'shadow',
    onDecision(exchange) {
      mirror(exchange);
    },
  };
  return {
    plugin,
    store,
    metrics,
    /** Resolves once every mirrored request was compared or dropped (shutdown, tests). */
    drain: async (): Promise<void> => {
      while (pending.size > 0) await Promise.all([...pending]);
    },
  };
}

/**
 * `shadow.percent`: per user by the canary's hash when the route is sticky, from the top of
 * the bucket range (the users the canary takes last), else a random draw per request.
 */
function inShadowShare(exchange: Exchange, shadow: ShadowedRoute): boolean {
  const key = stickyKeyOf(exchange.decision!.route, exchange.req.headers);
  if (key === undefined) return Math.random() * 100 < shadow.percent;
  return bucketOf(shadow.candidate, key) >= BUCKETS - shadow.percent * (BUCKETS / 100);
}

function copyHeaders(headers: Exchange['req']['headers']): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers)) if (value !== undefined) out[name] = value;
  return out;
}
