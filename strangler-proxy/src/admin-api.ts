import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { checkBearer } from './admin-auth';
import { closestName } from '../../common/src/did-you-mean';
import { ProxyError, isProxyError } from './errors';
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
import { changeOwner, describeDataSets, releaseHold, startHold } from './data-sets-admin';

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
 * loopback), /admin/* with a bearer token.
 */
export function createAdminHandler(deps: AdminDeps) {
  const dashboard = createDashboard(deps);
  return (req: IncomingMessage, res: ServerResponse): void => {
    route(deps, dashboard, req, res).catch((error) => {
      sendError(
        res,
        isProxyError(error) ? error : new ProxyError('ERR_INTERNAL', (error as Error).message),
      );
    });
  };
}

async function route(
  deps: AdminDeps,
  dashboard: Dashboard,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  if (await dashboard.handle(req, res)) return;
  const url = new URL(req.url ?? '/', 'http://admin');
  const method = req.method ?? 'GET';
  if (method === 'GET' && url.pathname === '/healthz') return json(res, 200, { status: 'ok' });
  if (method === 'GET' && url.pathname === '/readyz') {
    // Only upstreams that receive traffic decide readiness: a service not flipped to yet may be down.
    const used = new Set(
      deps.store
        .current()
        .routes.filter((r) => r.percent > 0 || r.name === 'default')
        .map((r) => r.to),
    );
    const upstreams = await probeUpstreams(
      new Map([...deps.upstreams.snapshot()].filter(([name]) => used.has(name))),
    );
    const ready = Object.values(upstreams).every((u) => u.ok);
    return json(res, ready ? 200 : 503, { ready, upstreams });
  }
  if (method === 'GET' && url.pathname === '/metrics') {
    const body = await deps.metrics.registry.metrics();
    res.writeHead(200, { 'content-type': deps.metrics.registry.contentType });
    return void res.end(body);
  }
  if (!url.pathname.startsWith('/admin/'))
    throw new ProxyError(
      'ERR_ADMIN_NOT_FOUND',
      `no such endpoint ${method} ${url.pathname}; see strangler-proxy/README.md`,
    );
  if (deps.token === null)
    throw new ProxyError(
      'ERR_ADMIN_NOT_FOUND',
      'the admin API is disabled; start the proxy with STRANGLER_ADMIN_TOKEN',
    );
  const denied = req.headers.authorization
    ? checkBearer(req, deps.token)
    : dashboard.checkSession(req);
  if (denied) {
    deps.logger.warn(
      { audit: true, path: url.pathname, code: denied.code, remote: req.socket.remoteAddress },
      'admin request denied',
    );
    if (denied.code === 'ERR_ADMIN_UNAUTHORIZED') res.setHeader('www-authenticate', 'Bearer');
    throw denied;
  }
  return adminRoute(deps, req, res, method, url.pathname);
}

async function adminRoute(
  deps: AdminDeps,
  req: IncomingMessage,
  res: ServerResponse,
  method: string,
  pathname: string,
): Promise<void> {
  const { store } = deps;
  if (method === 'GET' && pathname === '/admin/routes') {
    const routes = describeRoutes(store.current()).map((route) => ({
      ...route,
      promotion: deps.promotion?.view(route.name),
    }));
    return json(res, 200, { version: store.version, routes });
  }
  if (method === 'GET' && pathname === '/admin/status') {
    const breakers = Object.fromEntries(
      [...deps.upstreams.snapshot().values()].map((u) => [
        u.name,
        u.breaker?.snapshot() ?? { state: 'disabled' },
      ]),
    );
    return json(res, 200, {
      engine: deps.engine,
      routesFile: store.file,
      version: store.version,
      loadedAt: store.loadedAt,
      lastReload: store.lastReload,
      breakers,
    });
  }
  if (method === 'GET' && pathname === '/admin/shadow')
    return json(res, 200, describeShadow(deps.shadow));
  if (method === 'POST' && pathname === '/admin/reload') {
    const report = store.reload(`admin reload from ${req.socket.remoteAddress}`);
    deps.logger.info({ audit: true, action: 'reload', ok: report.ok }, 'admin reload');
    return json(
      res,
      report.ok ? 200 : httpStatusOf((report.error?.code ?? 'ERR_ROUTES_INVALID') as never),
      { ...report, version: store.version },
    );
  }
  if (method === 'GET' && pathname === '/admin/data-sets')
    return json(res, 200, describeDataSets(store, deps.holds));
  const dataSetMatch = /^\/admin\/data-sets\/([^/]+)\/(hold|owner)$/.exec(pathname);
  if (dataSetMatch) {
    const set = decodeURIComponent(dataSetMatch[1]);
    const actor = `admin ${req.socket.remoteAddress}`;
    if (dataSetMatch[2] === 'hold' && method === 'POST')
      return json(res, 200, await startHold(store, deps.holds, set, await readJson(req, res)));
    if (dataSetMatch[2] === 'hold' && method === 'DELETE')
      return json(res, 200, releaseHold(store, deps.holds, set, await readJson(req, res)));
    if (dataSetMatch[2] === 'owner' && method === 'PUT')
      return json(
        res,
        200,
        await changeOwner(store, deps.upstreams, deps.holds, set, await readJson(req, res), actor),
      );
  }
  const promotionMatch = /^\/admin\/routes\/([^/]+)\/promotion$/.exec(pathname);
  if (promotionMatch && method === 'POST' && deps.promotion)
    return changePromotion(
      deps,
      deps.promotion,
      decodeURIComponent(promotionMatch[1]),
      await readJson(req, res),
      res,
    );
  const routeMatch = /^\/admin\/routes\/([^/]+)$/.exec(pathname);
  if (routeMatch && (method === 'PATCH' || method === 'POST')) {
    const change = parseChange(await readJson(req, res));
    const written = store.change(
      decodeURIComponent(routeMatch[1]),
      change,
      `admin ${req.socket.remoteAddress}`,
    );
    return json(res, 200, {
      route: written.route,
      before: written.before,
      after: written.after,
      version: store.version,
    });
  }
  throw new ProxyError('ERR_ADMIN_NOT_FOUND', `no such admin endpoint ${method} ${pathname}`);
}

function changePromotion(
  deps: AdminDeps,
  promotion: PromotionController,
  name: string,
  body: unknown,
  res: ServerResponse,
): void {
  const action = (body as { action?: unknown } | null)?.action;
  if (!promotion.view(name))
    throw new ProxyError(
      'ERR_ADMIN_BAD_REQUEST',
      `route "${name}" has no "promote:"; add promote: auto to it in the routes file`,
    );
  if (action !== 'pause' && action !== 'resume')
    throw new ProxyError('ERR_ADMIN_BAD_REQUEST', 'send {"action":"pause"} or {"action":"resume"}');
  if (action === 'pause') promotion.pause(name);
  else promotion.resume(name);
  deps.logger.info(
    { audit: true, action: `promotion-${action}`, route: name },
    'admin promotion change',
  );
  return json(res, 200, { route: name, promotion: promotion.view(name) });
}

const CHANGE_FIELDS = ['to', 'percent'];

function parseChange(body: unknown): { to?: string; percent?: number } {
  const value = body as { to?: unknown; percent?: unknown } | null;
  const bad = (msg: string) => new ProxyError('ERR_ADMIN_BAD_REQUEST', msg);
  if (!value || typeof value !== 'object' || Array.isArray(value))
    throw bad('send a JSON object like {"to":"catalog-service","percent":10}');
  // An ignored field would be a change the operator believes was made.
  const unknown = Object.keys(value).filter((key) => !CHANGE_FIELDS.includes(key));
  if (unknown.length > 0) {
    const hints = unknown.map((key) => {
      const close = closestName(key, CHANGE_FIELDS);
      return `"${key}"${close ? ` (did you mean "${close}"?)` : ''}`;
    });
    throw bad(
      `unknown field ${hints.join(', ')}: a route change takes only "to" and "percent", e.g. {"to":"catalog-service","percent":10}`,
    );
  }
  if (value.to !== undefined && typeof value.to !== 'string')
    throw bad('"to" must be an upstream name');
  if (value.percent !== undefined && typeof value.percent !== 'number')
    throw bad('"percent" must be a number from 0 to 100');
  if (value.to === undefined && value.percent === undefined)
    throw bad('send "to" and/or "percent"');
  return { to: value.to as string | undefined, percent: value.percent as number | undefined };
}

async function readJson(req: IncomingMessage, res: ServerResponse): Promise<unknown> {
  const chunks = await new Promise<Buffer[]>((resolve, reject) => {
    const tooLarge = () => {
      // Answer 413 and close: the rest of the body is not read.
      res.setHeader('connection', 'close');
      reject(
        new ProxyError(
          'ERR_BODY_TOO_LARGE',
          `admin request body is larger than ${MAX_ADMIN_BODY / 1024} KiB; admin changes are small JSON objects`,
        ),
      );
    };
    if (Number(req.headers['content-length'] ?? 0) > MAX_ADMIN_BODY) return tooLarge();
    const received: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_ADMIN_BODY) return void received.push(chunk);
      req.removeAllListeners('data');
      tooLarge();
    });
    req.on('end', () => resolve(received));
    req.on('error', reject);
  });
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8') || 'null');
  } catch {
    throw new ProxyError('ERR_ADMIN_BAD_REQUEST', 'admin request body is not valid JSON');
  }
}

function json(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}
