import type { ProxyPlugin } from '../exchange';
import { createRequestRecorder } from '../shadow';

/**
 * Appends every request (method, path and query, headers without credentials,
 * route, correlation ID; no bodies) to a JSON Lines file that
 * `strangler parity --requests <file>` replays. Never slows a request: when the
 * disk falls behind, lines are dropped and counted.
 */
export function recordRequestsPlugin(
  file: string,
): ProxyPlugin & { close(): Promise<void>; stats(): { recorded: number; dropped: number } } {
  const recorder = createRequestRecorder(file);
  return {
    name: 'record-requests',
    onDecision(exchange) {
      recorder.record({
        method: exchange.req.method ?? 'GET',
        path: exchange.target
          ? `${exchange.target.path}${exchange.target.query}`
          : (exchange.req.url ?? '/'),
        headers: exchange.req.headers,
        route: exchange.decision?.route.name,
        correlationId: exchange.correlationId,
      });
    },
    close: () => recorder.close(),
    stats: () => recorder.stats(),
  };
}
