import type { RoutesFile } from '../config';
import type { DroppableFeature } from './carried-features';
import {
  type NginxPrefix,
  freePort,
  installConfig,
  prefixIn,
  requireNginx,
  startNginx,
} from './nginx-process';
import { renderNginxConfig } from './render-config';
import type { ShadowCollectorAddress } from './shadow-mirror';

export interface NginxDataPlaneOptions {
  routes: RoutesFile;
  /** The routes file's name (for the config header and error messages). */
  source: string;
  /** nginx's prefix: configuration, pid file, logs and temp files live here. */
  dir: string;
  host?: string;
  /** 0 or unset: a free port. */
  port?: number;
  allowDrop?: readonly DroppableFeature[];
  /** Where routes with `shadow:` send their copies (the control plane's collector). */
  shadowCollector?: ShadowCollectorAddress;
  /** The caller keeps the circuit breakers and reports open ones through `openBreakers`. */
  keepsBreakers?: boolean;
}

export interface NginxDataPlane {
  url: string;
  prefix: NginxPrefix;
  pid: number;
  /** Regenerates, `nginx -t`, installs and reloads; a refused configuration leaves the old one serving. */
  apply(routes: RoutesFile): Promise<void>;
  /** The data sets whose writes nginx answers 503 + Retry-After (seconds), during a handover. */
  holdWrites(held: ReadonlyMap<string, number>): Promise<void>;
  /** The upstreams whose circuit breaker is open (needs `keepsBreakers`). */
  openBreakers(open: ReadonlySet<string>): Promise<void>;
  stop(): Promise<void>;
  exited: Promise<string>;
}

/**
 * nginx serving a routes file, as a child of this process, in its own prefix folder.
 *
 * @example const plane = await startNginxDataPlane({ routes, source: 'routes.yaml', dir: 'data/nginx' });
 */
export async function startNginxDataPlane(options: NginxDataPlaneOptions): Promise<NginxDataPlane> {
  const bin = requireNginx();
  const host = options.host ?? '127.0.0.1';
  const port = options.port || (await freePort(host));
  const prefix = prefixIn(options.dir);
  let current = options.routes;
  let held: ReadonlyMap<string, number> = new Map();
  let open: ReadonlySet<string> | undefined = options.keepsBreakers ? new Set() : undefined;
  const render = (
    routes: RoutesFile,
    holds: ReadonlyMap<string, number>,
    openBreakers: ReadonlySet<string> | undefined,
  ) =>
    renderNginxConfig(routes, {
      listen: { host, port },
      source: options.source,
      allowDrop: options.allowDrop,
      accessLog: prefix.accessLog,
      runAsRoot: process.getuid?.() === 0,
      held: holds,
      shadowCollector: options.shadowCollector,
      openBreakers,
    }).text;
  await installConfig(bin, prefix, render(current, held, open));
  const nginx = await startNginx(bin, prefix, { host, port });
  // necessary because nginx runs in the foreground as our child: it must not outlive us.
  const killOnExit = () => process.kill(nginx.pid, 'SIGTERM');
  process.once('exit', killOnExit);
  let applying: Promise<void> = Promise.resolve();
  // One change at a time, each from the state the previous one left.
  const change = (update: {
    routes?: RoutesFile;
    held?: ReadonlyMap<string, number>;
    open?: ReadonlySet<string>;
  }) => {
    const next = applying.then(async () => {
      const routes = update.routes ?? current;
      const holds = update.held ?? held;
      const openBreakers = update.open ?? open;
      await installConfig(bin, prefix, render(routes, holds, openBreakers));
      await nginx.reload();
      current = routes;
      held = holds;
      open = openBreakers;
    });
    applying = next.catch(() => undefined);
    return next;
  };
  return {
    url: `http://${host}:${port}`,
    prefix,
    pid: nginx.pid,
    apply: (routes) => change({ routes }),
    holdWrites: (holds) => change({ held: holds }),
    openBreakers: (breakers) => change({ open: breakers }),
    async stop() {
      process.removeListener('exit', killOnExit);
      await applying;
      await nginx.stop();
    },
    exited: nginx.exited,
  };
}
