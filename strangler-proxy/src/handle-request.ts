import type { IncomingMessage, ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import { CORRELATION_HEADER, pickCorrelationId } from '../../common/src/correlation-id';
import { ProxyError, isProxyError } from './errors';
import { httpStatusOf, sendError } from './error-status';
import { type Exchange, type ProxyPlugin, hooksOf } from './exchange';
import { normaliseTarget } from './normalise-path';
import { type ResilienceDeps, forwardResiliently } from './resilience';
import { BodiesInFlight, hasBody, receiveBody } from './body-limit';
import type { RouteTable } from './route-table';
import type { Upstream } from './upstreams';
import type { WriteHolds } from './write-hold';
import { WRITE_METHODS } from './config-schema';

export interface HandlerDeps extends ResilienceDeps {
  currentTable: () => RouteTable;
  currentUpstreams: () => ReadonlyMap<string, Upstream>;
  plugins: readonly ProxyPlugin[];
  /** Data sets whose writes wait during a handover. */
  holds?: WriteHolds;
}

/** The request pipeline, wired in one place: normalise → decide → plugins → forward → stream back. */
export function createRequestHandler(deps: HandlerDeps) {
  const hooks = hooksOf(deps.plugins);
  const holds = deps.holds;
  const bodies = new BodiesInFlight();
  function handleRequest(req: IncomingMessage, res: ServerResponse): void {
    if (holds && WRITE_METHODS.has(req.method ?? '')) {
      const set = writeSetOf(deps.currentTable(), req);
      if (set !== null && holds.isHeld(set))
        return holds.enqueue(set, req, res, deps.currentTable().config.limits.maxBodyBytes);
      // Counted until answered: a hold waits for the writes already on their way to the old owner.
      if (set !== null) holds.track(set, res);
    }
    run(req, res, undefined);
  }

  /** One request through the current table; `buffered` is the body of a released held request. */
  function run(
    req: IncomingMessage,
    res: ServerResponse,
    buffered: Buffer | null | undefined,
  ): void {
    const table = deps.currentTable();
    const exchange: Exchange = {
      req,
      res,
      table,
      upstreams: deps.currentUpstreams(),
      correlationId: pickCorrelationId(req.headers[CORRELATION_HEADER]),
      startedAt: performance.now(),
      target: null,
      decision: null,
      upstream: null,
      status: 0,
      attempts: 0,
      fellBack: false,
      error: null,
      upstreamCall: null,
    };
    // One listener per request: it also stops an upstream answer the client no longer reads.
    // `on`, not `once`: a response closes once, and `once` wraps and later removes the listener (~1 µs a request).
    res.on('close', () => {
      exchange.upstreamCall?.cancel();
      exchange.status = res.headersSent ? res.statusCode : exchange.status || 499;
      hooks.onFinish(exchange, (performance.now() - exchange.startedAt) / 1000);
    });
    try {
      forward(deps, hooks, bodies, exchange, buffered);
    } catch (error) {
      failSafely(exchange, error);
    }
  }

  /** Sends a released held request on by the table current now (the new owner after a handover). */
  function forwardHeld(req: IncomingMessage, res: ServerResponse, body: Buffer | null): void {
    // Counted as in flight like any write: a later hold waits for it.
    const set = writeSetOf(deps.currentTable(), req);
    if (set !== null) holds?.track(set, res);
    run(req, res, body);
  }

  return Object.assign(handleRequest, { forwardHeld });
}

/** The data set a write request's route writes, if any. */
function writeSetOf(table: RouteTable, req: IncomingMessage): string | null {
  try {
    const target = normaliseTarget(req.url ?? '', table.config.caseSensitive);
    return table.decide(req.method ?? 'GET', target.segments, req.headers).route.writes;
  } catch {
    return null; // a bad path: the normal pipeline answers it
  }
}

function forward(
  deps: HandlerDeps,
  hooks: ReturnType<typeof hooksOf>,
  bodies: BodiesInFlight,
  exchange: Exchange,
  buffered: Buffer | null | undefined,
): void {
  const { req, table } = exchange;
  const limits = table.config.limits;
  exchange.target = normaliseTarget(req.url ?? '', table.config.caseSensitive);
  exchange.decision = table.decide(req.method ?? 'GET', exchange.target.segments, req.headers);
  exchange.upstream = exchange.decision.upstream;
  hooks.onDecision(exchange);
  if (buffered !== undefined)
    return send(deps, exchange, buffered === null ? null : Readable.from([buffered]));
  if (!hasBody(req)) return send(deps, exchange, null);
  if (!bodies.admit(req, limits.maxBodiesPerClient)) {
    return fail(
      exchange,
      new ProxyError(
        'ERR_TOO_MANY_BODIES',
        `this client address is already sending limits.maxBodiesPerClient (${limits.maxBodiesPerClient}) request bodies; wait for them to finish`,
      ),
    );
  }
  receiveBody(req, limits, (body) => {
    try {
      if (!(body instanceof ProxyError)) return send(deps, exchange, body);
      if (body.code !== 'ERR_CLIENT_CLOSED') fail(exchange, body);
    } catch (error) {
      failSafely(exchange, error);
    }
  });
}

function send(deps: HandlerDeps, exchange: Exchange, body: Readable | null): void {
  // A delivered answer was already streamed to the client by the engine.
  forwardResiliently(deps, exchange, body, (attempt) => {
    if (!attempt.error) return;
    // Nobody is left to answer: the finish hook already counted the request as 499.
    if (attempt.error.code === 'ERR_CLIENT_CLOSED') return;
    try {
      fail(exchange, attempt.error);
    } catch (error) {
      failSafely(exchange, error);
    }
  });
}

/** Last resort for a proxy bug: never an unhandled exception, the client gets a 500 or a closed connection. */
function failSafely(exchange: Exchange, error: unknown): void {
  try {
    fail(
      exchange,
      isProxyError(error)
        ? error
        : new ProxyError('ERR_INTERNAL', `internal proxy error: ${(error as Error).message}`),
    );
  } catch {
    exchange.res.destroy();
  }
}

function fail(exchange: Exchange, error: ProxyError): void {
  exchange.error = error;
  const { req, res } = exchange;
  exchange.status = res.headersSent ? res.statusCode : httpStatusOf(error.code);
  // A body still arriving (e.g. over the size limit) is not worth reading: close after answering.
  if (!req.complete && !res.headersSent) res.setHeader('connection', 'close');
  sendError(res, error, exchange.correlationId);
  if (!req.complete) req.resume();
}
