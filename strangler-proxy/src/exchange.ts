import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ProxyError } from './errors';
import type { UpstreamCall } from './forwarder';
import type { NormalisedTarget } from './normalise-path';
import type { Decision, RouteTable } from './route-table';
import type { Upstream } from './upstreams';

/** One client request on its way through the proxy: what plugins see. */
export interface Exchange {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly correlationId: string;
  /** The table the request started with; a reload never changes it mid-flight. */
  readonly table: RouteTable;
  /** The upstreams (breakers, origins) that belong to that table. */
  readonly upstreams: ReadonlyMap<string, Upstream>;
  readonly startedAt: number;
  target: NormalisedTarget | null;
  decision: Decision | null;
  /** The upstream that finally answered (differs from decision.upstream after a fallback). */
  upstream: string | null;
  status: number;
  attempts: number;
  fellBack: boolean;
  error: ProxyError | null;
  /** The upstream request in flight: cancelled when the client leaves mid-body (the proxy's own wiring, not for plugins). */
  upstreamCall: UpstreamCall | null;
}

/**
 * A behaviour around forwarding: access logging, metrics, request recording and
 * shadow traffic are plugins, wired in one place (create-proxy.ts).
 */
export interface ProxyPlugin {
  readonly name: string;
  /** After the route table decided, before anything is sent upstream. Must not throw. */
  onDecision?(exchange: Exchange): void;
  /** Once the client response is finished or aborted. */
  onFinish?(exchange: Exchange, durationSeconds: number): void;
}

/**
 * The plugins' hooks, gathered once: a failing plugin never fails the request.
 * necessary because these run twice per request: no argument arrays, no lookups.
 */
export function hooksOf(plugins: readonly ProxyPlugin[]) {
  const decision = plugins.filter((p) => p.onDecision);
  const finish = plugins.filter((p) => p.onFinish);
  return {
    onDecision(exchange: Exchange): void {
      for (const plugin of decision) {
        try {
          plugin.onDecision!(exchange);
        } catch {
          // necessary because a plugin bug must not turn into a failed client request
        }
      }
    },
    onFinish(exchange: Exchange, seconds: number): void {
      for (const plugin of finish) {
        try {
          plugin.onFinish!(exchange, seconds);
        } catch {
          // necessary because a plugin bug must not turn into a failed client request
        }
      }
    },
  };
}
