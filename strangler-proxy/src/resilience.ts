import type { Readable } from 'node:stream';
import { ProxyError } from './errors';
import type { Exchange } from './exchange';
import type { Forwarder, UpstreamResult } from './forwarder';
import type { ProxyMetrics } from './metrics';
import { buildUpstreamHeaders, cleanResponseHeaders, withRouteHeader } from './headers';

export type Attempt =
  | { result: UpstreamResult; error?: undefined }
  | { result?: undefined; error: ProxyError };

export interface ResilienceDeps {
  forwarder: Forwarder;
  metrics: ProxyMetrics;
  sleep?: (ms: number) => Promise<void>;
}

/** Where an attempt's outcome goes: called exactly once. */
export type Settle = (attempt: Attempt) => void;

const wait = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** A failed attempt: no answer at all, or a 5xx the monolith (or a retry) might answer better. */
export function isFailure(attempt: Attempt): boolean {
  return attempt.error !== undefined || attempt.result.status >= 500;
}

/**
 * One request to one upstream, through its circuit breaker. A 5xx answer is
 * delivered to the client only when nothing else will be tried (`lastChance`).
 * While it runs, `exchange.upstreamCall` can stop it if the client leaves mid-body.
 */
export function attemptUpstream(
  deps: ResilienceDeps,
  exchange: Exchange,
  name: string,
  body: Readable | null,
  lastChance: boolean,
  done: Settle,
): void {
  const upstream = exchange.upstreams.get(name);
  if (!upstream)
    return done({
      error: new ProxyError('ERR_INTERNAL', `upstream "${name}" vanished from the table`),
    });
  const permit = upstream.breaker ? upstream.breaker.tryAcquire() : 'pass';
  if (permit === null) {
    return done({
      error: new ProxyError(
        'ERR_UPSTREAM_UNAVAILABLE',
        `circuit breaker for upstream "${name}" is open; it is retried automatically after its openMs`,
      ),
    });
  }
  exchange.attempts++;
  exchange.upstream = name;
  const { req, res, correlationId } = exchange;
  let reported = false;
  try {
    const call = deps.forwarder.send(
      {
        origin: upstream.origin,
        connections: upstream.spec.connections,
        method: req.method ?? 'GET',
        path: exchange.target!.path + exchange.target!.query,
        headers: buildUpstreamHeaders(req, {
          upstreamHost: upstream.host,
          correlationId,
          trustForwarded: exchange.table.config.trustForwardedHeaders,
        }),
        body,
        timeoutMs: exchange.decision!.route.timeoutMs ?? upstream.spec.timeoutMs,
        req,
        res,
      },
      {
        onResponse(status, headers) {
          upstream.breaker?.record(permit, status < 500);
          if (status >= 500 && !lastChance) return false;
          const head = cleanResponseHeaders(headers, correlationId);
          const routeHeader = exchange.table.config.routeHeader;
          res.writeHead(
            status,
            routeHeader
              ? withRouteHeader(head, routeHeader, exchange.decision!.route.name, name)
              : head,
          );
          return true;
        },
        onEnd(result) {
          reported = true;
          exchange.upstreamCall = null;
          if (result.broken)
            exchange.error = new ProxyError(
              'ERR_UPSTREAM_RESET',
              `upstream ${name} broke off the response body`,
            );
          done({ result });
        },
        onFailure(error) {
          reported = true;
          exchange.upstreamCall = null;
          // A client that left says nothing about the upstream: its permit comes back uncounted.
          if (error.code === 'ERR_CLIENT_CLOSED') upstream.breaker?.release(permit);
          else upstream.breaker?.record(permit, false);
          done({ error });
        },
      },
    );
    // An engine may report at once (refused before sending); a fallback begun then has its own call.
    if (!reported) exchange.upstreamCall = call;
  } catch (error) {
    // An engine that throws instead of reporting: still one outcome, and the breaker's permit is returned.
    if (reported) throw error;
    upstream.breaker?.record(permit, false);
    done({
      error: new ProxyError(
        'ERR_INTERNAL',
        `forwarding to upstream "${name}" failed: ${(error as Error).message}`,
      ),
    });
  }
}

/**
 * Retries (idempotent, bodiless requests only, with exponential backoff), then
 * falls back to the monolith when the route allows it for this method.
 * A request with a body is never replayed: it was streamed upstream already.
 */
export function forwardResiliently(
  deps: ResilienceDeps,
  exchange: Exchange,
  body: Readable | null,
  done: Settle,
): void {
  const decision = exchange.decision!;
  const route = decision.route;
  const method = exchange.req.method ?? 'GET';
  const replayable = body === null;
  const retries =
    route.retry && replayable && route.retry.methods.includes(method as never)
      ? route.retry.attempts
      : 0;
  const canFallBack =
    replayable &&
    decision.upstream !== exchange.table.monolith &&
    route.fallbackMethods.has(method);
  let retried = 0;
  // What follows each attempt: the retries left, then the fallback, then the outcome.
  const afterAttempt = (attempt: Attempt): void => {
    // An open breaker answers at once; waiting out backoffs against it only delays the fallback.
    const breakerOpen = attempt.error?.code === 'ERR_UPSTREAM_UNAVAILABLE';
    if (retried < retries && isFailure(attempt) && !breakerOpen && !exchange.res.destroyed) {
      const backoffMs = route.retry!.backoffMs * 2 ** retried;
      retried++;
      const lastChance = retried === retries && !canFallBack;
      (deps.sleep ?? wait)(backoffMs).then(
        () => {
          deps.metrics.countRetry(decision.upstream);
          attemptUpstream(deps, exchange, decision.upstream, null, lastChance, afterAttempt);
        },
        (error: Error) =>
          done({
            error: new ProxyError('ERR_INTERNAL', `retry backoff failed: ${error.message}`),
          }),
      );
      return;
    }
    if (isFailure(attempt) && canFallBack && !exchange.res.destroyed) {
      exchange.fellBack = true;
      deps.metrics.countFallback(route.name);
      return attemptUpstream(deps, exchange, exchange.table.monolith, null, true, done);
    }
    if (attempt.result && !attempt.result.delivered && !exchange.res.headersSent) {
      // A 5xx held back for a retry that could not happen (client gone): report it.
      return done({
        error: new ProxyError(
          'ERR_UPSTREAM_RESET',
          `upstream ${decision.upstream} answered ${attempt.result.status}`,
        ),
      });
    }
    done(attempt);
  };
  attemptUpstream(
    deps,
    exchange,
    decision.upstream,
    body,
    retries === 0 && !canFallBack,
    afterAttempt,
  );
}
