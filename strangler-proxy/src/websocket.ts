import http from 'node:http';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Logger } from 'pino';
import { CORRELATION_HEADER, pickCorrelationId } from '../../common/src/correlation-id';
import { ProxyError, isProxyError } from './errors';
import { httpStatusOf } from './error-status';
import { buildUpstreamHeaders, cleanResponseHeaders } from './headers';
import { normaliseTarget } from './normalise-path';
import type { RouteTable } from './route-table';
import type { Upstream } from './upstreams';

export interface UpgradeDeps {
  currentTable: () => RouteTable;
  currentUpstreams: () => ReadonlyMap<string, Upstream>;
  logger: Logger;
}

/**
 * WebSocket (and other Upgrade) passthrough: same normalisation and routing as
 * plain requests, then the two sockets are spliced together.
 */
export function createUpgradeHandler(deps: UpgradeDeps) {
  return (req: IncomingMessage, socket: Duplex, head: Buffer): void => {
    const correlationId = pickCorrelationId(req.headers[CORRELATION_HEADER]);
    socket.on('error', () => socket.destroy());
    try {
      const table = deps.currentTable();
      const target = normaliseTarget(req.url ?? '', table.config.caseSensitive);
      const decision = table.decide(req.method ?? 'GET', target.segments, req.headers);
      const upstream = deps.currentUpstreams().get(decision.upstream);
      if (!upstream)
        throw new ProxyError('ERR_INTERNAL', `upstream ${decision.upstream} is not loaded`);
      const headers = buildUpstreamHeaders(req, {
        upstreamHost: upstream.host,
        correlationId,
        trustForwarded: table.config.trustForwardedHeaders,
      });
      headers.connection = 'Upgrade';
      headers.upgrade = String(req.headers.upgrade ?? 'websocket');
      const url = new URL(upstream.origin);
      const upstreamReq = http.request({
        host: url.hostname,
        port: url.port,
        method: req.method,
        path: target.path + target.query,
        headers,
        timeout: upstream.spec.timeoutMs,
      });
      upstreamReq.on('upgrade', (upstreamRes, upstreamSocket, upstreamHead) => {
        socket.write(
          `${statusLine(101, upstreamRes.statusMessage) + rawHeaders(upstreamRes.rawHeaders)}\r\n`,
        );
        if (upstreamHead.length > 0) socket.write(upstreamHead);
        if (head.length > 0) upstreamSocket.write(head);
        upstreamSocket.on('error', () => socket.destroy());
        socket.on('error', () => upstreamSocket.destroy());
        upstreamSocket.pipe(socket).pipe(upstreamSocket);
        deps.logger.info(
          {
            correlationId,
            path: target.path,
            route: decision.route.name,
            upstream: decision.upstream,
            status: 101,
          },
          'upgrade',
        );
      });
      upstreamReq.on('response', (upstreamRes) => {
        // The upstream declined the upgrade: relay its plain answer and close.
        const clean = cleanResponseHeaders(upstreamRes.rawHeaders, correlationId);
        socket.write(
          statusLine(upstreamRes.statusCode ?? 502, upstreamRes.statusMessage) +
            rawHeaders([...clean, 'connection', 'close']) +
            '\r\n',
        );
        upstreamRes.pipe(socket);
      });
      upstreamReq.on('timeout', () =>
        upstreamReq.destroy(
          new ProxyError('ERR_UPSTREAM_TIMEOUT', 'upstream did not accept the upgrade in time'),
        ),
      );
      upstreamReq.on('error', (error) =>
        reject(
          socket,
          isProxyError(error)
            ? error
            : new ProxyError(
                'ERR_UPSTREAM_REFUSED',
                `upgrade to ${upstream.origin} failed: ${error.message}`,
              ),
          correlationId,
        ),
      );
      upstreamReq.end();
    } catch (error) {
      reject(
        socket,
        isProxyError(error) ? error : new ProxyError('ERR_INTERNAL', String(error)),
        correlationId,
      );
    }
  };
}

function statusLine(status: number, message?: string): string {
  return `HTTP/1.1 ${status} ${message || http.STATUS_CODES[status] || ''}\r\n`;
}

function rawHeaders(raw: string[]): string {
  let out = '';
  for (let i = 0; i < raw.length; i += 2) out += `${raw[i]}: ${raw[i + 1]}\r\n`;
  return out;
}

function reject(socket: Duplex, error: ProxyError, correlationId: string): void {
  if (!socket.writable) return void socket.destroy();
  const body = JSON.stringify({ error: { code: error.code, message: error.message } });
  const status = httpStatusOf(error.code);
  socket.end(
    statusLine(status) +
      rawHeaders([
        'content-type',
        'application/json',
        'content-length',
        String(Buffer.byteLength(body)),
        'connection',
        'close',
        CORRELATION_HEADER,
        correlationId,
      ]) +
      '\r\n' +
      body,
  );
}
