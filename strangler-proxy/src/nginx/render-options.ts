import type { DroppableFeature } from './carried-features';
import type { ShadowCollectorAddress } from './shadow-mirror';

/** What `renderNginxConfig` needs besides the routes file, and what it gives back. */
export interface RenderOptions {
  /** Where nginx listens, e.g. { host: '127.0.0.1', port: 8080 }. */
  listen: { host: string; port: number };
  /** The routes file's name, shown in the header. */
  source: string;
  /** Dropped features the caller accepts by name (otherwise a file using one is refused). */
  allowDrop?: readonly DroppableFeature[];
  /** The JSON access log (relative to nginx's prefix, or absolute). */
  accessLog?: string;
  /** Emit `user root;` (only when nginx is started as root, so workers can use the data folder). */
  runAsRoot?: boolean;
  /**
   * Data sets whose writes are held (a handover in progress), with the seconds a client
   * should wait: nginx cannot queue requests, so their writes are answered 503 + Retry-After.
   */
  held?: ReadonlyMap<string, number>;
  /** The control plane's shadow collector: routes with `shadow:` mirror their copies to it. */
  shadowCollector?: ShadowCollectorAddress;
  /**
   * Set when a control plane keeps the circuit breakers (so `breaker` is carried): the
   * upstreams whose breaker is open now, answered as the Node proxy answers an open breaker.
   */
  openBreakers?: ReadonlySet<string>;
  /** When the config is generated (dates a deprecation without `since`); default now. */
  now?: number;
}

export interface RenderedConfig {
  text: string;
  /** Features of this routes file that the nginx data plane does not carry (accepted by allowDrop). */
  dropped: Array<{ feature: DroppableFeature; where: string[] }>;
}
