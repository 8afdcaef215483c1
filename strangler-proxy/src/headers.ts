import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import { CORRELATION_HEADER } from '../../common/src/correlation-id';

export type OutgoingHeaders = Record<string, string | string[]>;

// RFC 9110 §7.6.1 connection-specific headers, plus legacy ones proxies still see.
const HOP_BY_HOP = new Set([
  'connection', 'keep-alive', 'proxy-authenticate', 'proxy-authorization', 'proxy-connection',
  'te', 'trailer', 'transfer-encoding', 'upgrade',
]);

/** Hop-by-hop names: the fixed list plus every token the Connection header names. */
function hopByHopOf(headers: IncomingHttpHeaders): Set<string> {
  const connection = headers.connection;
  // necessary because nearly every message says "keep-alive" or "close": no Set copy for those.
  if (!connection || HOP_BY_HOP.has(connection) || connection === 'close' || connection === 'Keep-Alive' || connection === 'Close') return HOP_BY_HOP;
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
export function buildUpstreamHeaders(req: IncomingMessage, context: ForwardingContext): OutgoingHeaders {
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

/** Response headers for the client: hop-by-hop removed (both directions), Set-Cookie arrays kept. */
export function cleanResponseHeaders(headers: IncomingHttpHeaders, correlationId: string): OutgoingHeaders {
  const drop = hopByHopOf(headers);
  const out: OutgoingHeaders = {};
  for (const name in headers) {
    const value = headers[name];
    if (value === undefined || drop.has(name)) continue;
    out[name] = value;
  }
  out[CORRELATION_HEADER] = correlationId;
  return out;
}
