import http from 'node:http';
import type { IncomingMessage } from 'node:http';
import { createProxyServer } from 'http-proxy-3';
import type {
  Forwarder,
  ResponseSink,
  UpstreamCall,
  UpstreamRequest,
  UpstreamResult,
} from '../forwarder';
import { ProxyError } from '../errors';
import { toUpstreamError } from './upstream-errors';

type Waiter = (proxyRes: IncomingMessage) => void;

/**
 * The baseline engine (kept for the benchmark): http-proxy-3 with a keep-alive
 * agent and `selfHandleResponse`, so the rest of the proxy treats it like undici.
 */
export function createHttpProxy3Forwarder(): Forwarder {
  const agents = new Map<string, http.Agent>();
  const waiting = new WeakMap<IncomingMessage, Waiter>();
  const proxy = createProxyServer({ selfHandleResponse: true, xfwd: false });
  proxy.on('proxyRes', (proxyRes, req) => {
    const waiter = waiting.get(req as IncomingMessage);
    // An answer after our timeout fired: drain it so the keep-alive socket is freed.
    if (waiter) waiter(proxyRes as IncomingMessage);
    else (proxyRes as IncomingMessage).resume();
  });

  function agentFor(origin: string, connections: number): http.Agent {
    let agent = agents.get(origin);
    if (!agent) {
      agent = new http.Agent({ keepAlive: true, maxSockets: connections });
      agents.set(origin, agent);
    }
    return agent;
  }

  function send(request: UpstreamRequest, sink: ResponseSink): UpstreamCall {
    const { req, res } = request;
    // http-proxy-3 reads the outgoing path and headers from the incoming request.
    req.url = request.path;
    req.headers = request.headers as IncomingMessage['headers'];
    let settled = false;
    let answer: IncomingMessage | null = null;
    // Exactly one ending, whichever of timeout, error, 'end' and 'close' comes first.
    const end = (result: UpstreamResult) => {
      if (settled) return;
      settled = true;
      sink.onEnd(result);
    };
    const fail = (error: ProxyError) => {
      if (settled) return;
      settled = true;
      sink.onFailure(error);
    };
    const timer = setTimeout(() => {
      waiting.delete(req);
      fail(
        new ProxyError(
          'ERR_UPSTREAM_TIMEOUT',
          `upstream ${request.origin} did not answer in ${request.timeoutMs} ms`,
        ),
      );
    }, request.timeoutMs);
    waiting.set(req, (proxyRes) => {
      clearTimeout(timer);
      waiting.delete(req);
      const status = proxyRes.statusCode ?? 502;
      const delivered = !res.destroyed && sink.onResponse(status, proxyRes.rawHeaders);
      if (!delivered) {
        proxyRes.resume();
        return end({ status, delivered });
      }
      answer = proxyRes;
      proxyRes.on('error', () => res.destroy());
      proxyRes.on('aborted', () => res.destroy());
      proxyRes.on('end', () => end({ status, delivered, broken: !proxyRes.complete }));
      proxyRes.on('close', () => {
        if (!proxyRes.complete) {
          res.destroy();
          end({ status, delivered, broken: true });
        }
      });
      proxyRes.pipe(res);
    });
    proxy.web(
      req,
      res,
      {
        target: request.origin,
        agent: agentFor(request.origin, request.connections),
        proxyTimeout: request.timeoutMs,
        // The proxy received the body (or its first part) itself: it sends that stream, not the request's.
        ...(request.body && request.body !== request.req ? { buffer: request.body } : {}),
      },
      (error) => {
        clearTimeout(timer);
        waiting.delete(req);
        fail(toUpstreamError(error, request.origin));
      },
    );
    return {
      // http-proxy-3 destroys its upstream request when `res` closes early; the outcome is ours to report.
      cancel() {
        if (settled) return;
        clearTimeout(timer);
        waiting.delete(req);
        answer?.destroy();
        if (!answer)
          fail(
            new ProxyError(
              'ERR_CLIENT_CLOSED',
              'the client closed the connection before the answer',
            ),
          );
      },
    };
  }

  return {
    engine: 'http-proxy-3',
    send,
    retire(origin) {
      agents.get(origin)?.destroy();
      agents.delete(origin);
    },
    async close() {
      for (const agent of agents.values()) agent.destroy();
      agents.clear();
      proxy.close();
    },
  };
}
