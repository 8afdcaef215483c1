import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import { CORRELATION_HEADER } from '../../common/src/correlation-id';

export type OutgoingHeaders = Record<string, string | string[]>;

// RFC 9110 §7.6.1 connection-specific headers, plus legacy ones proxies still see.
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
]);

/** Hop-by-hop names: the fixed list plus every token the Connection header names. */
function hopByHopOf(headers: Pick<IncomingHttpHeaders, 'connection'>): Set<string> {
  const connection = headers.connection;
  // necessary because nearly every message says "keep-alive" or "close": no Set copy for those.
  if (
    !connection ||
    HOP_BY_HOP.has(connection) ||
    connection === 'close' ||
    connection === 'Keep-Alive' ||
    connection === 'Close'
  )
    return HOP_BY_HOP;
  const named = new Set(HOP_BY_HOP);
  for (const token of String(connection).split(',')) named.add(token.trim().toLowerCase());
  return named;
}

export interface ForwardingContext {
  upstreamHost: string;
  correlationId: string;
  /** Keep the client's X-Forwarded-* and append to them (only behind a trusted load balancer). */
  trustForwarded: boolean;
}

/** Request headers for the upstream: hop-by-hop removed, X-Forwarded-* and the correlation ID set. */
export function buildUpstreamHeaders(
  req: IncomingMessage,
  context: ForwardingContext,
): OutgoingHeaders {
  const drop = hopByHopOf(req.headers);
  const out: OutgoingHeaders = {};
  for (const name in req.headers) {
    const value = req.headers[name];
    // `expect: 100-continue` was already answered by this server; the upstream gets a plain request.
    if (value === undefined || drop.has(name) || name === 'host' || name === 'expect') continue;
    out[name] = value;
  }
  const clientIp = req.socket.remoteAddress ?? '';
  const proto = 'encrypted' in req.socket && req.socket.encrypted ? 'https' : 'http';
  const host = req.headers.host ?? '';
  if (context.trustForwarded) {
    const prior = req.headers['x-forwarded-for'];
    out['x-forwarded-for'] = prior ? `${prior}, ${clientIp}` : clientIp;
    out['x-forwarded-proto'] = (req.headers['x-forwarded-proto'] as string | undefined) ?? proto;
    out['x-forwarded-host'] = (req.headers['x-forwarded-host'] as string | undefined) ?? host;
  } else {
    // SECURITY: without a trusted hop in front, client-sent X-Forwarded-* are lies until proven otherwise.
    out['x-forwarded-for'] = clientIp;
    out['x-forwarded-proto'] = proto;
    out['x-forwarded-host'] = host;
  }
  out.host = context.upstreamHost;
  out[CORRELATION_HEADER] = context.correlationId;
  return out;
}

/** Headers as they came off the wire: name, value, name, value… (undici gives Buffers, Node strings). */
export type RawHeaders = ReadonlyArray<string | Buffer>;

const text = (value: string | Buffer): string =>
  typeof value === 'string' ? value : value.toString('latin1');

/**
 * Response headers for the client, as a flat list for `res.writeHead`: hop-by-hop
 * removed (both directions), names and every Set-Cookie kept as the upstream sent them,
 * the upstream's correlation ID replaced by this request's.
 * necessary because it runs on every response: one pass over the raw list, no header objects.
 */
export function cleanResponseHeaders(raw: RawHeaders, correlationId: string): string[] {
  const out: string[] = [];
  let connection: string | null = null;
  for (let i = 0; i < raw.length; i += 2) {
    const name = text(raw[i]);
    const lower = name.toLowerCase();
    if (HOP_BY_HOP.has(lower)) {
      if (lower === 'connection')
        connection = connection === null ? text(raw[i + 1]) : `${connection}, ${text(raw[i + 1])}`;
      continue;
    }
    if (lower !== CORRELATION_HEADER) out.push(name, text(raw[i + 1]));
  }
  if (connection !== null) {
    const drop = hopByHopOf({ connection });
    if (drop !== HOP_BY_HOP) return [...withoutNames(out, drop), CORRELATION_HEADER, correlationId];
  }
  out.push(CORRELATION_HEADER, correlationId);
  return out;
}

/** The response's route header (routes file `routeHeader`): replaces one the upstream may have sent. */
export function withRouteHeader(
  headers: string[],
  name: string,
  route: string,
  upstream: string,
): string[] {
  const out = withoutNames(headers, new Set([name]));
  out.push(name, `${route} -> ${upstream}`);
  return out;
}

function withoutNames(flat: string[], drop: ReadonlySet<string>): string[] {
  const kept: string[] = [];
  for (let i = 0; i < flat.length; i += 2)
    if (!drop.has(flat[i].toLowerCase())) kept.push(flat[i], flat[i + 1]);
  return kept;
}
