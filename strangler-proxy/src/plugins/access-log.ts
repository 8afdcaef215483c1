import pino, { type Logger } from 'pino';
import type { Exchange, ProxyPlugin } from '../exchange';

// Only quotes, backslashes, control characters and surrogates need JSON escaping; plain names and paths are quoted as they are.
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what needs escaping
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;
const q = (value: string): string =>
  NEEDS_ESCAPE.test(value) ? JSON.stringify(value) : `"${value}"`;

/** One JSON line per request: route, upstream, status, duration, correlation ID. */
export function accessLogPlugin(logger: Logger): ProxyPlugin {
  const writeLine = lineWriterFor(logger);
  return {
    name: 'access-log',
    onFinish(exchange, seconds) {
      if (exchange.error) {
        logger.warn(
          { ...recordOf(exchange, seconds), reason: exchange.error.message },
          'request failed upstream',
        );
      } else if (writeLine) {
        if (logger.isLevelEnabled('info')) writeLine(fieldsOf(exchange, seconds));
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

/** The same fields as `recordOf` for a request without an error, serialised in pino's order. */
function fieldsOf(exchange: Exchange, seconds: number): string {
  const route = exchange.decision ? q(exchange.decision.route.name) : 'null';
  const upstream = exchange.upstream === null ? 'null' : q(exchange.upstream);
  return (
    `,"correlationId":${q(exchange.correlationId)},"method":${q(exchange.req.method ?? '')},"path":${q(exchange.target?.path ?? exchange.req.url ?? '')}` +
    `,"route":${route},"upstream":${upstream},"status":${exchange.status},"durationMs":${Math.round(seconds * 100_000) / 100},"attempts":${exchange.attempts}` +
    (exchange.fellBack ? ',"fallback":true' : '')
  );
}

/**
 * Writes an info line straight to the logger's stream, byte for byte what
 * `logger.info(record, 'request')` writes, through pino's integration symbols.
 * necessary because pino's generic serialiser was 6–7 µs of the proxy's hot
 * path (CPU profile, bench:proxy); this costs about 1 µs. Loggers that change
 * records (mixin, log formatter, redaction, hooks, message prefix, multistream)
 * get null here and keep pino's own path.
 */
export function lineWriterFor(logger: Logger): ((fields: string) => void) | null {
  const state = logger as unknown as Record<symbol, unknown>;
  // msgPrefixSym is exported at run time but missing from pino's types.
  const symbols = pino.symbols as typeof pino.symbols & { msgPrefixSym: symbol };
  const formatters = state[symbols.formattersSym] as
    | { level?: (label: string, n: number) => object; log?: unknown }
    | undefined;
  const hooks = state[symbols.hooksSym] as
    | { logMethod?: unknown; streamWrite?: unknown }
    | undefined;
  const stringifiers = state[symbols.stringifiersSym] as object | undefined;
  const stream = state[symbols.streamSym] as
    | { write(line: string): unknown; [key: symbol]: unknown }
    | undefined;
  const time = state[symbols.timeSym] as (() => string) | undefined;
  if (
    !stream ||
    !time ||
    !formatters?.level ||
    formatters.log ||
    state[symbols.mixinSym] ||
    hooks?.logMethod ||
    hooks?.streamWrite ||
    (stringifiers && Reflect.ownKeys(stringifiers).length > 0) ||
    state[symbols.msgPrefixSym] ||
    stream[symbols.needsMetadataGsym]
  ) {
    return null;
  }
  const level = JSON.stringify(formatters.level('info', logger.levels.values.info)).slice(0, -1);
  const suffix = `,${q(state[symbols.messageKeySym] as string)}:"request"}\n`;
  return (fields) => {
    // Bindings are read per line: a child logger or setBindings may change them.
    stream.write(level + time() + (state[symbols.chindingsSym] as string) + fields + suffix);
  };
}
