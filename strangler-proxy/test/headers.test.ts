import type { IncomingMessage } from 'node:http';
import { buildUpstreamHeaders, cleanResponseHeaders } from '../src/headers';

function fakeRequest(headers: Record<string, string>): IncomingMessage {
  return { headers, socket: { remoteAddress: '10.0.0.7' } } as unknown as IncomingMessage;
}

describe('header rewriting', () => {
  it('removes hop-by-hop headers and those the Connection header names, sets X-Forwarded-* and the correlation ID', () => {
    const out = buildUpstreamHeaders(
      fakeRequest({
        host: 'shop.example',
        connection: 'keep-alive, X-Secret-Hop',
        'x-secret-hop': '1',
        'keep-alive': 'timeout=5',
        te: 'trailers',
        'proxy-authorization': 'Basic x',
        accept: 'application/json',
        'x-forwarded-for': '6.6.6.6',
      }),
      { upstreamHost: '127.0.0.1:4001', correlationId: 'abc', trustForwarded: false },
    );
    expect(out).toEqual({
      accept: 'application/json',
      host: '127.0.0.1:4001',
      'x-correlation-id': 'abc',
      'x-forwarded-for': '10.0.0.7',
      'x-forwarded-proto': 'http',
      'x-forwarded-host': 'shop.example',
    });
  });

  it('appends to X-Forwarded-For behind a trusted load balancer', () => {
    const out = buildUpstreamHeaders(
      fakeRequest({ host: 'h', 'x-forwarded-for': '1.2.3.4', 'x-forwarded-proto': 'https' }),
      { upstreamHost: 'u', correlationId: 'c', trustForwarded: true },
    );
    expect(out['x-forwarded-for']).toBe('1.2.3.4, 10.0.0.7');
    expect(out['x-forwarded-proto']).toBe('https');
  });

  it('cleans response headers the same way, keeps names as sent and every Set-Cookie, and replaces the correlation ID', () => {
    const raw = [
      'Connection',
      'X-Internal',
      'X-Internal',
      'yes',
      'Transfer-Encoding',
      'chunked',
      'Set-Cookie',
      'a=1',
      'Keep-Alive',
      'timeout=5',
      'Set-Cookie',
      'b=2',
      'Content-Encoding',
      'gzip',
      'X-Correlation-ID',
      'upstream-own',
      'Proxy-Connection',
      'keep-alive',
    ];
    expect(cleanResponseHeaders(raw, 'cid')).toEqual([
      'Set-Cookie',
      'a=1',
      'Set-Cookie',
      'b=2',
      'Content-Encoding',
      'gzip',
      'x-correlation-id',
      'cid',
    ]);
    // undici hands over Buffers; two Connection headers both name headers to drop.
    const buffers = [
      'connection',
      'keep-alive',
      'x-a',
      '1',
      'connection',
      'X-B',
      'x-b',
      '2',
      'content-length',
      '3',
    ].map((v) => Buffer.from(v, 'latin1'));
    expect(cleanResponseHeaders(buffers, 'cid')).toEqual([
      'x-a',
      '1',
      'content-length',
      '3',
      'x-correlation-id',
      'cid',
    ]);
  });
});
