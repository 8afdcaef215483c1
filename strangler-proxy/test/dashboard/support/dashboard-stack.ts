import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createDashboard, describeShadow, type PromotionView } from '../../../src/dashboard';
import { sendError } from '../../../src/error-status';
import {
  createHttpSender,
  createParallelRun,
  createResultsStore,
  shadowSpecSchema,
} from '../../../src/shadow';
import { startTestProxy, type TestProxy } from '../../support/harness';
import { ADMIN_TOKEN } from '../../support/routes';

export interface DashboardStack {
  /** Where the browser goes: the proxy's own admin port once the dashboard is wired there, else a stand-in. */
  adminUrl: string;
  wired: boolean;
  proxy: TestProxy;
  /** The finance route's promotion: the proxy's own when wired, set by the stand-in otherwise. */
  promotion: PromotionView | null;
  /** Runs one parallel-run comparison of GET `path` (monolith vs candidate) into the stand-in's shadow store. */
  mirror(path: string, headers?: Record<string, string>): Promise<string>;
  close(): Promise<void>;
}

/**
 * A real proxy, and its dashboard. Until admin-api.ts calls the dashboard, a
 * stand-in admin server does what the wiring will do: dashboard routes first,
 * the session check as the alternative to the bearer token, then the real admin
 * port (with the token added), and GET /admin/shadow from a real results store.
 * It also adds a `promotion` to the finance route, so the page's ladder is seen.
 */
const PROMOTION: PromotionView = {
  state: 'running',
  step: 25,
  steps: ['shadow', 5, 25, 50, 100],
  reason: 'match rate 99.6% >= 99% for 5 min',
  updatedAt: '2026-11-26T04:40:00.000Z',
};

export async function startDashboardStack(
  doc: Record<string, unknown>,
  upstreams: { monolith: string; candidate: string },
): Promise<DashboardStack> {
  const proxy = await startTestProxy(doc);
  const probe = await fetch(`${proxy.adminUrl}/dashboard`);
  if (probe.ok)
    return {
      adminUrl: proxy.adminUrl,
      wired: true,
      proxy,
      promotion: proxy.proxy.promotion.view('finance') ?? null,
      mirror: async () => 'not emulated',
      close: () => proxy.close(),
    };

  const dashboard = createDashboard({ token: ADMIN_TOKEN, logger: proxy.logs.logger, pollMs: 500 });
  const store = createResultsStore();
  const run = createParallelRun({
    route: 'catalog',
    spec: shadowSpecSchema.parse('catalog-service'),
    sendCandidate: createHttpSender(upstreams.candidate),
    store,
  });
  const admin = new URL(proxy.adminUrl);
  const server = http.createServer(async (req, res) => {
    if (await dashboard.handle(req, res)) return;
    if (req.url?.startsWith('/admin/')) {
      const denied = req.headers.authorization ? null : dashboard.checkSession(req);
      if (denied) return sendError(res, denied);
      if (req.url === '/admin/shadow')
        return void res
          .writeHead(200, { 'content-type': 'application/json' })
          .end(JSON.stringify(describeShadow(store)));
      if (req.url === '/admin/routes' && req.method === 'GET') {
        const body = (await proxy.admin('/admin/routes').then((r) => r.json())) as {
          routes: Array<{ name: string; promotion?: PromotionView }>;
        };
        body.routes.find((r) => r.name === 'finance')!.promotion = PROMOTION;
        return void res
          .writeHead(200, { 'content-type': 'application/json' })
          .end(JSON.stringify(body));
      }
    }
    const headers = {
      ...req.headers,
      host: admin.host,
      authorization: req.headers.authorization ?? `Bearer ${ADMIN_TOKEN}`,
    };
    const forward = http.request(
      { host: admin.hostname, port: admin.port, method: req.method, path: req.url, headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    forward.on('error', () => res.destroy());
    req.pipe(forward);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const sendPrimary = createHttpSender(upstreams.monolith);
  return {
    adminUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    wired: false,
    proxy,
    promotion: PROMOTION,
    mirror: (path, headers = {}) => {
      const request = { method: 'GET', path, headers, correlationId: `dashboard-test-${path}` };
      return run.mirror(request, sendPrimary(request));
    },
    async close() {
      await new Promise((resolve) => {
        server.close(resolve);
        server.closeAllConnections();
      });
      await proxy.close();
    },
  };
}
