import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import { silentLogger } from '../../common/src/logger';
import { loadRoutesFile, type RoutesFile } from './config';
import { ProxyError } from './errors';
import type { ProxyPlugin } from './exchange';
import { createForwarder, type EngineName } from './forwarder';
import { createMetrics, type ProxyMetrics } from './metrics';
import { accessLogPlugin } from './plugins/access-log';
import { deprecationPlugin } from './plugins/deprecation-headers';
import { metricsPlugin } from './plugins/metrics-plugin';
import { createShadowPlugin } from './shadow';
import { createPromotionController, type PromotionController } from './promotion';
import type { ResultsStore, ShadowMetrics } from './shadow';
import { createRequestHandler } from './handle-request';
import { createAdminHandler } from './admin-api';
import { RoutesStore } from './routes-store';
import { loadProxyState, saveProxyState } from './proxy-state';
import { UpstreamRegistry } from './upstreams';
import { createUpgradeHandler } from './websocket';
import { WriteHolds } from './write-hold';

export interface ProxyOptions {
  /** The routes file (source of truth, watched). Either this or `routes`. */
  routesFile?: string;
  /** An in-memory configuration (tests, benchmarks): no reload, no admin writes. */
  routes?: RoutesFile;
  /** Bearer token for /admin/*. Required unless `adminDisabled`. */
  adminToken?: string | null;
  adminDisabled?: boolean;
  logger?: Logger;
  engine?: EngineName;
  /** What the admin API and dashboard name as the engine when another data plane serves (e.g. "nginx"). */
  servedBy?: string;
  /** Watch the routes file for changes (default: true when there is a file). */
  watch?: boolean;
  /** More behaviour around forwarding, after logging, metrics and the parallel run. */
  plugins?: ProxyPlugin[];
  /** How often `promote: auto` routes are checked (default 5000 ms). */
  promotionCheckMs?: number;
  /** The business-process monitor the dashboard shows (GET <url>/processes). */
  processMonitorUrl?: string | null;
  /**
   * Where promotions in progress and the parallel run's results are kept across restarts
   * (JSON, replaced atomically). Unset: they live in memory only.
   */
  stateFile?: string | null;
  /** The clock of the breakers and the promotion windows (tests advance it instead of sleeping). */
  now?: () => number;
}

export interface ListenOptions {
  port?: number;
  host?: string;
  adminPort?: number;
  adminHost?: string;
}

export interface RunningProxy {
  url: string;
  adminUrl: string;
  close(): Promise<void>;
}

export interface Proxy {
  store: RoutesStore;
  metrics: ProxyMetrics;
  /** The parallel run's results (routes with `shadow:`); `drain()` waits for in-flight comparisons. */
  shadow: { results: ResultsStore; metrics: ShadowMetrics; drain(): Promise<void> };
  /** Drives routes with `promote: auto` (checked on a timer while listening). */
  promotion: PromotionController;
  /** Write holds of data sets during a handover (admin API: /admin/data-sets/:set/hold). */
  holds: WriteHolds;
  /** The upstreams and their circuit breakers (kept across reloads). */
  upstreams: UpstreamRegistry;
  listen(options?: ListenOptions): Promise<RunningProxy>;
}

/**
 * Builds a strangler proxy from a routes file; nothing listens until `listen`.
 *
 * @example
 * const proxy = createProxy({ routesFile: 'strangler-proxy/routes.yaml', adminToken: 's3cret' });
 * const { url, adminUrl, close } = await proxy.listen({ port: 0, adminPort: 0 });
 */
export function createProxy(options: ProxyOptions): Proxy {
  const logger = options.logger ?? silentLogger();
  const token = options.adminToken ?? null;
  if (token === null && !options.adminDisabled) {
    throw new ProxyError(
      'ERR_PROXY_CONFIG',
      'refusing to start the admin API without a token: set STRANGLER_ADMIN_TOKEN, or disable the admin API explicitly (STRANGLER_ADMIN_DISABLED=1)',
    );
  }
  if (token !== null && token.length < 16)
    throw new ProxyError(
      'ERR_PROXY_CONFIG',
      'STRANGLER_ADMIN_TOKEN is too short: use at least 16 random characters (e.g. openssl rand -hex 24)',
    );
  const config =
    options.routes ?? (options.routesFile ? loadRoutesFile(options.routesFile) : undefined);
  if (!config) throw new ProxyError('ERR_PROXY_CONFIG', 'createProxy needs routesFile or routes');
  const metrics = createMetrics();
  const forwarder = createForwarder(options.engine);
  const upstreams = new UpstreamRegistry(metrics, logger, options.now);
  upstreams.apply(config);
  const store = new RoutesStore(
    options.routes ? null : (options.routesFile ?? null),
    config,
    logger,
    metrics,
  );
  store.onApply((table) => {
    for (const origin of upstreams.apply(table.config)) forwarder.retire(origin);
  });
  const shadow = createShadowPlugin({ registry: metrics.registry, logger });
  const stateFile = options.stateFile ?? null;
  const now = options.now ?? Date.now;
  const promotion = createPromotionController({
    routes: store,
    results: shadow.store,
    logger,
    checkEveryMs: options.promotionCheckMs,
    now,
    onChange: () => persist(),
  });
  // necessary because a proxy without promotions or shadows has nothing to keep: no disk write every check.
  let savedNothing = false;
  function persist(): void {
    if (!stateFile) return;
    const promotions = promotion.save();
    const results = shadow.store.snapshot();
    const nothing = Object.keys(promotions).length === 0 && results.routes.length === 0;
    if (nothing && savedNothing) return;
    try {
      saveProxyState(stateFile, { version: 1, savedAt: now(), promotions, shadow: results });
      savedNothing = nothing;
    } catch (error) {
      logger.error(
        { err: error, stateFile },
        `cannot save the promotion state to ${stateFile}: a restart would start new windows`,
      );
    }
  }
  const saved = stateFile ? loadProxyState(stateFile, logger) : null;
  if (saved) {
    shadow.store.restore(saved.shadow);
    promotion.restore(saved.promotions, saved.savedAt);
  }
  const plugins = [
    metricsPlugin(metrics),
    accessLogPlugin(logger),
    shadow.plugin,
    promotion.plugin,
    deprecationPlugin(),
    ...(options.plugins ?? []),
  ];
  const tableAccess = {
    currentTable: () => store.current(),
    currentUpstreams: () => upstreams.snapshot(),
  };
  // The hold sends released requests back through the request pipeline, by the table current then.
  let forwardHeld: ReturnType<typeof createRequestHandler>['forwardHeld'] = () => undefined;
  const holds = new WriteHolds(metrics, logger, (req, res, body) => forwardHeld(req, res, body));
  const handleRequest = createRequestHandler({
    ...tableAccess,
    forwarder,
    metrics,
    plugins,
    holds,
  });
  forwardHeld = handleRequest.forwardHeld;
  const handleAdmin = createAdminHandler({
    store,
    upstreams,
    metrics,
    logger,
    token,
    engine: options.servedBy ?? forwarder.engine,
    shadow: shadow.store,
    promotion,
    processMonitorUrl: options.processMonitorUrl ?? null,
    holds,
  });

  async function listen(listenOptions: ListenOptions = {}): Promise<RunningProxy> {
    const limits = config!.limits;
    // Limits are read once: the server's socket settings cannot change under a running server.
    const server = http.createServer(
      {
        maxHeaderSize: limits.maxHeaderBytes,
        headersTimeout: limits.headersTimeoutMs,
        requestTimeout: limits.requestTimeoutMs,
        keepAliveTimeout: limits.keepAliveTimeoutMs,
        connectionsCheckingInterval: Math.min(1_000, limits.headersTimeoutMs),
      },
      handleRequest,
    );
    server.on('upgrade', createUpgradeHandler({ ...tableAccess, logger }));
    const admin = http.createServer(handleAdmin);
    const url = await listenOn(server, listenOptions.port ?? 0, listenOptions.host ?? '127.0.0.1');
    const adminUrl = await listenOn(
      admin,
      listenOptions.adminPort ?? 0,
      listenOptions.adminHost ?? '127.0.0.1',
    );
    if (options.watch ?? Boolean(store.file)) store.watch();
    promotion.start();
    logger.info(
      { url, adminUrl, engine: forwarder.engine, routesFile: store.file },
      'strangler proxy listening',
    );
    return {
      url,
      adminUrl,
      async close() {
        store.close();
        promotion.stop();
        persist();
        holds.close();
        await Promise.all([closeServer(server), closeServer(admin)]);
        await Promise.all([forwarder.close(), shadow.drain()]);
      },
    };
  }

  return {
    store,
    metrics,
    shadow: { results: shadow.store, metrics: shadow.metrics, drain: shadow.drain },
    promotion,
    holds,
    upstreams,
    listen,
  };
}

function listenOn(server: http.Server, port: number, host: string): Promise<string> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      const address = server.address() as AddressInfo;
      const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
      resolve(`http://${shownHost}:${address.port}`);
    });
  });
}

function closeServer(server: http.Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeIdleConnections();
    // necessary because keep-alive and streaming clients would otherwise hold close() open
    setTimeout(() => server.closeAllConnections(), 1_000).unref();
  });
}
