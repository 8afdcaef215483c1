import type { ServerResponse } from 'node:http';
import express, { type ErrorRequestHandler, type RequestHandler } from 'express';
import type { Logger } from 'pino';
import { checkBearer } from './admin-auth';
import { ProxyError, type ProxyErrorCode, isProxyError } from './errors';
import { httpStatusOf, sendError } from './error-status';
import type { ProxyMetrics } from './metrics';
import { probeUpstreams } from './readiness';
import type { RoutesStore } from './routes-store';
import type { UpstreamRegistry } from './upstreams';
import { describeRoutes } from './describe-routes';
import { createDashboard, type Dashboard, describeShadow } from './dashboard';
import type { ResultsStore } from './shadow';
import type { PromotionController } from './promotion';
import type { WriteHolds } from './write-hold';
import {
  changeOwner,
  checkDataSet,
  describeDataSets,
  releaseHold,
  startHold,
} from './data-sets-admin';
import { changePromotion, changeRoute } from './routes-admin';

export interface AdminDeps {
  store: RoutesStore;
  upstreams: UpstreamRegistry;
  metrics: ProxyMetrics;
  logger: Logger;
  /** null: the admin API is disabled (health and metrics stay up). */
  token: string | null;
  engine: string;
  /** The parallel run's results, for GET /admin/shadow. */
  shadow?: ResultsStore;
  /** Routes with `promote: auto`: their ladder in GET /admin/routes, pause/resume. */
  promotion?: PromotionController;
  /** The business-process monitor the dashboard shows (PROCESS_MONITOR_URL). */
  processMonitorUrl?: string | null;
  /** Write holds during a handover (POST/DELETE /admin/data-sets/:set/hold). */
  holds: WriteHolds;
}

const MAX_ADMIN_BODY = 64 * 1024;

/**
 * The ops port: /healthz, /readyz and /metrics without a token (bind it to
 * loopback), /admin/* with a bearer token. An Express app: a `(req, res)` handler.
 *
 * @example http.createServer(createAdminHandler(deps)).listen(8081, '127.0.0.1')
 */
export function createAdminHandler(deps: AdminDeps): express.Express {
  const { store, holds } = deps;
  const dashboard = createDashboard(deps);
  const app = express();
  // Paths match exactly as written (no case folding, no optional trailing slash); no extra headers.
  app.enable('case sensitive routing').enable('strict routing');
  app.disable('x-powered-by').disable('etag');
  // First, before the path is read: it answers /dashboard/* and rewrites /dashboard/api/* to /admin/*.
  app.use(async (req, res, next) => {
    if (!(await dashboard.handle(req, res))) next();
  });
  app.use(resolveDotSegments);

  app.get('/healthz', (_req, res) => json(res, 200, { status: 'ok' }));
  app.get('/readyz', async (_req, res) => {
    // Only upstreams that receive traffic decide readiness: a service not flipped to yet may be down.
    const used = new Set(
      store
        .current()
        .routes.filter((r) => r.percent > 0 || r.name === 'default')
        .map((r) => r.to),
    );
    const upstreams = await probeUpstreams(
      new Map([...deps.upstreams.snapshot()].filter(([name]) => used.has(name))),
    );
    const ready = Object.values(upstreams).every((u) => u.ok);
    json(res, ready ? 200 : 503, { ready, upstreams });
  });
  app.get('/metrics', async (_req, res) => {
    const body = await deps.metrics.registry.metrics();
    res.writeHead(200, { 'content-type': deps.metrics.registry.contentType });
    res.end(body);
  });

  app.use(requireAdmin(deps, dashboard));
  const actor = (req: express.Request) => `admin ${req.socket.remoteAddress}`;
  app.get('/admin/routes', (_req, res) => {
    const routes = describeRoutes(store.current()).map((route) => ({
      ...route,
      promotion: deps.promotion?.view(route.name),
    }));
    json(res, 200, { version: store.version, routes });
  });
  app.get('/admin/status', (_req, res) => {
    const breakers = Object.fromEntries(
      [...deps.upstreams.snapshot().values()].map((u) => [
        u.name,
        u.breaker?.snapshot() ?? { state: 'disabled' },
      ]),
    );
    json(res, 200, {
      engine: deps.engine,
      routesFile: store.file,
      version: store.version,
      loadedAt: store.loadedAt,
      lastReload: store.lastReload,
      breakers,
    });
  });
  app.get('/admin/shadow', (_req, res) => json(res, 200, describeShadow(deps.shadow)));
  app.post('/admin/reload', (req, res) => {
    const report = store.reload(`admin reload from ${req.socket.remoteAddress}`);
    deps.logger.info({ audit: true, action: 'reload', ok: report.ok }, 'admin reload');
    const refused = (report.error?.code ?? 'ERR_ROUTES_INVALID') as ProxyErrorCode;
    json(res, report.ok ? 200 : httpStatusOf(refused), { ...report, version: store.version });
  });
  const changeRouteOf: RequestHandler<{ name: string }> = (req, res) =>
    json(res, 200, changeRoute(store, req.params.name, bodyOf(req), actor(req)));
  app.patch('/admin/routes/:name', jsonBody, changeRouteOf);
  app.post('/admin/routes/:name', jsonBody, changeRouteOf);
  if (deps.promotion) {
    const promotion = deps.promotion;
    app.post('/admin/routes/:name/promotion', jsonBody, (req, res) =>
      json(res, 200, changePromotion(promotion, deps.logger, req.params.name, bodyOf(req))),
    );
  }

  app.get('/admin/data-sets', (_req, res) => json(res, 200, describeDataSets(store, holds)));
  app.param('set', (_req, _res, next, set: string) => {
    checkDataSet(store, set);
    next();
  });
  app.post('/admin/data-sets/:set/hold', jsonBody, async (req, res) =>
    json(res, 200, await startHold(holds, req.params.set, bodyOf(req))),
  );
  app.delete('/admin/data-sets/:set/hold', jsonBody, (req, res) =>
    json(res, 200, releaseHold(holds, req.params.set, bodyOf(req))),
  );
  app.put('/admin/data-sets/:set/owner', jsonBody, async (req, res) =>
    json(
      res,
      200,
      await changeOwner(store, deps.upstreams, holds, req.params.set, bodyOf(req), actor(req)),
    ),
  );

  // Last: every other path and method (OPTIONS included) is a JSON 404, never Express's own page.
  app.use((req) => {
    throw new ProxyError(
      'ERR_ADMIN_NOT_FOUND',
      req.path.startsWith('/admin/')
        ? `no such admin endpoint ${req.method} ${req.path}`
        : `no such endpoint ${req.method} ${req.path}; see strangler-proxy/README.md`,
    );
  });
  app.use(sendAdminError);
  return app;
}

/** Routes see the path a URL parser sees (`/admin/x/../status` is `/admin/status`), as the token check does. */
const resolveDotSegments: RequestHandler = (req, _res, next) => {
  const { pathname, search } = new URL(req.url, 'http://admin');
  req.url = pathname + search;
  next();
};

/** /admin/*: a bearer token, or the dashboard's session cookie (with its CSRF header for changes). */
function requireAdmin(deps: AdminDeps, dashboard: Dashboard): RequestHandler {
  return (req, res, next) => {
    if (!req.path.startsWith('/admin/')) return next();
    if (deps.token === null)
      throw new ProxyError(
        'ERR_ADMIN_NOT_FOUND',
        'the admin API is disabled; start the proxy with STRANGLER_ADMIN_TOKEN',
      );
    const denied = req.headers.authorization
      ? checkBearer(req, deps.token)
      : dashboard.checkSession(req);
    if (!denied) return next();
    deps.logger.warn(
      { audit: true, path: req.path, code: denied.code, remote: req.socket.remoteAddress },
      'admin request denied',
    );
    if (denied.code === 'ERR_ADMIN_UNAUTHORIZED') res.setHeader('www-authenticate', 'Bearer');
    throw denied;
  };
}

/** Any content type is read as JSON (`curl -d` sends a form type); 64 KiB at most. */
const jsonBody = express.json({ limit: MAX_ADMIN_BODY, strict: false, type: () => true });

/** A request without a body is `null` (body-parser leaves it undefined, and reads an empty body as `{}`). */
const bodyOf = (req: express.Request): unknown => req.body ?? null;

/** Every failure as the proxy's JSON error: a ProxyError as it is, body-parser's errors named for the admin API. */
// Four parameters: that is how Express tells an error handler from a middleware.
const sendAdminError: ErrorRequestHandler = (error, _req, res, _next) => {
  sendError(res, toProxyError(error));
};

function toProxyError(error: unknown): ProxyError {
  if (isProxyError(error)) return error;
  // body-parser and the router describe their errors with `type` and an HTTP `status`.
  const { type, status, message } = error as { type?: string; status?: number; message: string };
  if (type === 'entity.too.large')
    return new ProxyError(
      'ERR_BODY_TOO_LARGE',
      `admin request body is larger than ${MAX_ADMIN_BODY / 1024} KiB; admin changes are small JSON objects`,
    );
  if (type === 'entity.parse.failed')
    return new ProxyError('ERR_ADMIN_BAD_REQUEST', 'admin request body is not valid JSON');
  if (status !== undefined && status >= 400 && status < 500)
    return new ProxyError('ERR_ADMIN_BAD_REQUEST', `admin request refused: ${message}`);
  return new ProxyError('ERR_INTERNAL', message);
}

// Not res.json: it would answer a conditional GET (`If-None-Match: *`) with an empty 304.
function json(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}
