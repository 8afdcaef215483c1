import path from 'node:path';
import type { Logger } from 'pino';
import { DATA_DIR } from '../../../common/src/database';
import { createLogger } from '../../../common/src/logger';
import { createProxy, type Proxy as NodeProxy } from '../create-proxy';
import { type ProxyEnv, readProxyEnv } from '../proxy-env';
import type { DroppableFeature } from './carried-features';
import { followAccessLog } from './follow-access-log';
import { keepBreakersForNginx } from './nginx-breakers';
import { startNginxDataPlane } from './nginx-data-plane';
import { requireNginx } from './nginx-process';
import { startShadowCollector } from './shadow-collector';

export interface NginxProxyOptions extends Partial<ProxyEnv> {
  /** nginx's prefix folder (default: <data folder>/nginx). */
  nginxDir?: string;
  allowDrop?: readonly DroppableFeature[];
  logger?: Logger;
  /** How often `promote: auto` routes are checked (default 5000 ms). */
  promotionCheckMs?: number;
}

export interface RunningNginxProxy {
  /** nginx, serving the traffic. */
  url: string;
  /** The Node admin API and dashboard (routes, flip, metrics read from nginx's access log). */
  adminUrl: string;
  nginxDir: string;
  close(): Promise<void>;
}

/**
 * `strangler proxy start --engine nginx`: nginx serves the traffic; a small Node
 * process keeps the routes file (watch, admin API, dashboard, flip, promotion) and,
 * on every applied change, regenerates the nginx config, checks it with `nginx -t`
 * and reloads nginx. Per-route metrics come from nginx's JSON access log. A write
 * hold (handover) cannot queue requests in nginx: while one is active, the held data
 * set's writes are answered 503 + Retry-After, from a config regenerated for it. The circuit
 * breakers are this process's, counted from the access log; an open one is answered by nginx
 * from a config regenerated for it. `promote: auto` counts the candidate's errors from the
 * same log. Routes with `shadow:` mirror copies to the shadow collector
 * in this process, which compares them.
 *
 * @example const running = await startNginxProxy({ routesFile: 'routes.yaml', adminToken });
 */
export async function startNginxProxy(options: NginxProxyOptions = {}): Promise<RunningNginxProxy> {
  requireNginx();
  const {
    nginxDir: dirOption,
    allowDrop,
    logger: givenLogger,
    promotionCheckMs,
    ...overrides
  } = options;
  const env = { ...readProxyEnv(), ...overrides };
  const logger =
    givenLogger ?? createLogger('strangler-proxy', { level: env.logLevel, async: true });
  const nginxDir = path.resolve(dirOption ?? path.join(DATA_DIR, 'nginx'));
  const admin = createProxy({
    routesFile: env.routesFile,
    adminToken: env.adminToken,
    adminDisabled: env.adminDisabled,
    logger,
    processMonitorUrl: env.processMonitorUrl,
    servedBy: 'nginx',
    promotionCheckMs,
  });
  // Routes with `shadow:` mirror their copies to it; it compares into the store GET /admin/shadow reads.
  const collector = await startShadowCollector({
    routes: () => admin.store.current().config,
    results: admin.shadow.results,
    metrics: admin.shadow.metrics,
    logger,
  });
  const plane = await startNginxDataPlane({
    routes: admin.store.current().config,
    source: env.routesFile,
    dir: nginxDir,
    host: env.host,
    port: env.port,
    allowDrop,
    shadowCollector: collector,
    keepsBreakers: true,
  }).catch(async (error: Error) => {
    await collector.close();
    throw error;
  });
  const breakers = keepBreakersForNginx(admin.upstreams, (open) =>
    plane.openBreakers(open).then(
      () =>
        logger.info(
          { open: [...open] },
          open.size > 0
            ? `nginx answers for the open circuit breakers of ${[...open].join(', ')}`
            : 'nginx forwards to every upstream again (no circuit breaker open)',
        ),
      (error: Error) =>
        logger.error({ err: error }, 'nginx could not apply a circuit breaker change'),
    ),
  );
  const log = followAccessLog(plane.prefix.accessLog, (entry) => {
    breakers.observe(entry);
    admin.promotion.countServed(entry.route, entry.upstream, entry.status);
    admin.metrics.observeRequest(entry.route, entry.upstream, entry.status, entry.durationSeconds);
    if (entry.fellBack) admin.metrics.countFallback(entry.route);
    for (let i = 0; i < entry.retries; i++) admin.metrics.countRetry(entry.target);
  });
  const holds = followHolds(admin, (held) =>
    plane.holdWrites(held).then(
      () =>
        logger.info(
          { held: [...held.keys()] },
          held.size > 0
            ? "nginx answers the held data sets' writes 503 + Retry-After"
            : 'nginx forwards every write again',
        ),
      (error: Error) => {
        logger.error({ err: error }, 'nginx could not apply the write hold');
        throw error;
      },
    ),
  );
  // A new hold is reported in force only once nginx has reloaded with it.
  admin.holds.addApplier(() => holds.syncNow());
  admin.store.onApply((table) => {
    plane.apply(table.config).then(
      () => logger.info({ routesFile: env.routesFile }, 'nginx reloaded with the new routes'),
      (error: Error) =>
        logger.error(
          { err: error },
          'nginx kept its previous configuration: the new routes were not applied to nginx',
        ),
    );
  });
  // A deprecation without `since` says "deprecated as of today": its date is in the config, so it is made again daily.
  const daily = atEveryUtcMidnight(() => {
    const config = admin.store.current().config;
    if (!config.deprecations.some((d) => d.since === undefined)) return;
    plane
      .apply(config)
      .catch((error: Error) =>
        logger.error(
          { err: error },
          "nginx kept yesterday's Deprecation date: the new day's config was not applied",
        ),
      );
  });
  // The admin process's own listener takes no traffic: nginx does. It listens on a free loopback port.
  const started = await admin.listen({
    port: 0,
    host: '127.0.0.1',
    adminPort: env.adminPort,
    adminHost: env.adminHost,
  });
  let closing = false;
  void plane.exited.then((reason) => {
    if (!closing) logger.error({ reason }, 'nginx stopped; restart the proxy');
  });
  return {
    url: plane.url,
    adminUrl: started.adminUrl,
    nginxDir,
    async close() {
      closing = true;
      holds.stop();
      breakers.stop();
      daily.stop();
      await plane.stop();
      await collector.close();
      log.readNow();
      log.stop();
      await started.close();
    },
  };
}

/**
 * Watches the admin process's write holds (started by a handover through the admin
 * API) and reports the held sets with their remaining seconds whenever the set changes.
 * necessary because the hold lives in the Node admin process, while nginx serves the writes.
 */
function followHolds(
  admin: NodeProxy,
  onChange: (held: ReadonlyMap<string, number>) => Promise<void>,
  everyMs = 50,
): { stop(): void; syncNow(): Promise<void> } {
  let last = '';
  const sync = (): Promise<void> => {
    const held = new Map<string, number>();
    for (const set of Object.keys(admin.store.current().config.dataSets)) {
      const view = admin.holds.view(set);
      if (view)
        held.set(set, Math.max(1, Math.ceil((Date.parse(view.expiresAt) - Date.now()) / 1000)));
    }
    const key = [...held.keys()].sort().join(',');
    if (key === last) return Promise.resolve();
    last = key;
    return onChange(held);
  };
  const timer = setInterval(() => sync().catch(() => undefined), everyMs);
  timer.unref();
  return { stop: () => clearInterval(timer), syncNow: sync };
}

/** Calls `run` just after every 00:00 UTC from now on, until stopped. */
function atEveryUtcMidnight(run: () => void): { stop(): void } {
  const DAY_MS = 86_400_000;
  let timer: NodeJS.Timeout | undefined;
  const schedule = () => {
    const now = Date.now();
    timer = setTimeout(
      () => {
        run();
        schedule();
      },
      (Math.floor(now / DAY_MS) + 1) * DAY_MS - now + 1_000,
    );
    timer.unref();
  };
  schedule();
  return { stop: () => clearTimeout(timer) };
}

/** Runs until SIGINT/SIGTERM (Ctrl-C), then stops nginx and the admin process. */
export async function runNginxProxyUntilSignal(options: NginxProxyOptions = {}): Promise<void> {
  const running = await startNginxProxy(options);
  process.stdout.write(
    `strangler proxy (nginx data plane): ${running.url}  (admin: ${running.adminUrl}, nginx files: ${running.nginxDir})\n`,
  );
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  process.stdout.write('strangler proxy: stopping nginx\n');
  await running.close();
}
