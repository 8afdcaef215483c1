import type { Readable } from 'node:stream';
import { ProxyError } from './errors';
import type { Exchange } from './exchange';
import type { Forwarder, UpstreamResult } from './forwarder';
import type { ProxyMetrics } from './metrics';
import { buildUpstreamHeaders, cleanResponseHeaders } from './headers';

export type Attempt = { result: UpstreamResult; error?: undefined } | { result?: undefined; error: ProxyError };

export interface ResilienceDeps {
  forwarder: Forwarder;
  metrics: ProxyMetrics;
  sleep?: (ms: number) => Promise<void>;
}

const wait = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** A failed attempt: no answer at all, or a 5xx the monolith (or a retry) might answer better. */
export function isFailure(attempt: Attempt): boolean {
  return attempt.error !== undefined || attempt.result.status >= 500;
}

/**
 * One request to one upstream, through its circuit breaker. A 5xx answer is
 * delivered to the client only when nothing else will be tried (`lastChance`).
 */
export async function attemptUpstream(deps: ResilienceDeps, exchange: Exchange, name: string, body: Readable | null, lastChance: boolean): Promise<Attempt> {
  const upstream = exchange.upstreams.get(name);
  if (!upstream) return { error: new ProxyError('ERR_INTERNAL', `upstream "${name}" vanished from the table`) };
  const permit = upstream.breaker ? upstream.breaker.tryAcquire() : 'pass';
  if (permit === null) {
    return { error: new ProxyError('ERR_UPSTREAM_UNAVAILABLE', `circuit breaker for upstream "${name}" is open; it is retried automatically after its openMs`) };
  }
  exchange.attempts++;
  exchange.upstream = name;
  const { req, res, correlationId } = exchange;
  try {
    const result = await deps.forwarder.send(
      {
        origin: upstream.origin,
        connections: upstream.spec.connections,
        method: req.method ?? 'GET',
        path: exchange.target!.path + exchange.target!.query,
        headers: buildUpstreamHeaders(req, { upstreamHost: upstream.host, correlationId, trustForwarded: exchange.table.config.trustForwardedHeaders }),
        body,
        timeoutMs: exchange.decision!.route.timeoutMs ?? upstream.spec.timeoutMs,
        req,
        res,
      },
      {
        onResponse(status, headers) {
          upstream.breaker?.record(permit, status < 500);
          if (status >= 500 && !lastChance) return false;
          res.writeHead(status, cleanResponseHeaders(headers, correlationId));
          return true;
        },
      },
    );
    if (result.broken) exchange.error = new ProxyError('ERR_UPSTREAM_RESET', `upstream ${name} broke off the response body`);
    return { result };
  } catch (error) {
    upstream.breaker?.record(permit, false);
    return { error: error as ProxyError };
  }
}

/**
 * Retries (idempotent, bodiless requests only, with exponential backoff), then
 * falls back to the monolith when the route allows it for this method.
 * A request with a body is never replayed: it was streamed upstream already.
 */
export async function forwardResiliently(deps: ResilienceDeps, exchange: Exchange, body: Readable | null): Promise<Attempt> {
  const decision = exchange.decision!;
  const route = decision.route;
  const method = exchange.req.method ?? 'GET';
  const replayable = body === null;
  const retries = route.retry && replayable && route.retry.methods.includes(method as never) ? route.retry.attempts : 0;
  const canFallBack = replayable && decision.upstream !== exchange.table.monolith && route.fallbackMethods.has(method);
  const sleep = deps.sleep ?? wait;
  let attempt = await attemptUpstream(deps, exchange, decision.upstream, body, retries === 0 && !canFallBack);
  for (let n = 0; n < retries && isFailure(attempt) && !exchange.res.destroyed; n++) {
    await sleep(route.retry!.backoffMs * 2 ** n);
    deps.metrics.countRetry(decision.upstream);
    attempt = await attemptUpstream(deps, exchange, decision.upstream, null, n === retries - 1 && !canFallBack);
  }
  if (isFailure(attempt) && canFallBack && !exchange.res.destroyed) {
    exchange.fellBack = true;
    deps.metrics.countFallback(route.name);
    return attemptUpstream(deps, exchange, exchange.table.monolith, null, true);
  }
  if (attempt.result && !attempt.result.delivered && !exchange.res.headersSent) {
    // A 5xx held back for a retry that could not happen (client gone): report it.
    return { error: new ProxyError('ERR_UPSTREAM_RESET', `upstream ${decision.upstream} answered ${attempt.result.status}`) };
  }
  return attempt;
}
