import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import type { Readable } from 'node:stream';
import type { OutgoingHeaders } from './headers';
import { createUndiciForwarder } from './engines/undici-forwarder';
import { createHttpProxy3Forwarder } from './engines/http-proxy-3-forwarder';

/**
 * The forwarding engine, behind one interface so it can be swapped. An engine
 * sends one request to one upstream. When the upstream answers it asks the
 * sink whether to deliver: yes → the sink has written the client's status and
 * headers, and the engine streams the body into `res` with backpressure;
 * no → the engine drops the body (a retry or fallback follows).
 * It rejects with a ProxyError (timeout, refused, reset) when no answer came.
 */
export interface UpstreamRequest {
  origin: string;
  connections: number;
  method: string;
  /** Path and query, already normalised. */
  path: string;
  headers: OutgoingHeaders;
  body: Readable | null;
  timeoutMs: number;
  /** The client exchange: the engine streams the upstream body into `res`. */
  req: IncomingMessage;
  res: ServerResponse;
}

export interface ResponseSink {
  /** Return true to deliver this answer to the client (after writing its head), false to drop it. */
  onResponse(status: number, headers: IncomingHttpHeaders): boolean;
}

export interface UpstreamResult {
  status: number;
  delivered: boolean;
  /** The upstream failed in the middle of the body: the client connection was destroyed. */
  broken?: boolean;
}

export interface Forwarder {
  readonly engine: EngineName;
  send(request: UpstreamRequest, sink: ResponseSink): Promise<UpstreamResult>;
  /** Lets in-flight requests finish on an upstream that left the table, then frees its connections. */
  retire(origin: string): void;
  close(): Promise<void>;
}

export type EngineName = 'undici' | 'http-proxy-3';
export const ENGINES: readonly EngineName[] = ['undici', 'http-proxy-3'];

/** undici is the default: see the README ("Choosing the engine") for the measurements. */
export function createForwarder(engine: EngineName = 'undici'): Forwarder {
  return engine === 'http-proxy-3' ? createHttpProxy3Forwarder() : createUndiciForwarder();
}
