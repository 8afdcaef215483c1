import type { Logger } from 'pino';
import type { Exchange, ProxyPlugin } from '../exchange';

/** One JSON line per request: route, upstream, status, duration, correlation ID. */
export function accessLogPlugin(logger: Logger): ProxyPlugin {
  return {
    name: 'access-log',
    onFinish(exchange, seconds) {
      if (exchange.error) {
        logger.warn(
          { ...recordOf(exchange, seconds), reason: exchange.error.message },
          'request failed upstream',
        );
      } else {
        logger.info(recordOf(exchange, seconds), 'request');
      }
    },
  };
}

function recordOf(exchange: Exchange, seconds: number) {
  return {
    correlationId: exchange.correlationId,
    method: exchange.req.method,
    path: exchange.target?.path ?? exchange.req.url,
    route: exchange.decision?.route.name ?? null,
    upstream: exchange.upstream,
    status: exchange.status,
    durationMs: Math.round(seconds * 100_000) / 100,
    attempts: exchange.attempts,
    fallback: exchange.fellBack || undefined,
    error: exchange.error?.code,
  };
}
