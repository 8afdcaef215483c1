import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Readable } from 'node:stream';
import type { ProxyError } from './errors';
import type { OutgoingHeaders, RawHeaders } from './headers';
import { createUndiciForwarder } from './engines/undici-forwarder';
import { createHttpProxy3Forwarder } from './engines/http-proxy-3-forwarder';

/**
 * The forwarding engine, behind one interface so it can be swapped. An engine
 * sends one request to one upstream. When the upstream answers it asks the
 * sink whether to deliver: yes → the sink has written the client's status and
 * headers, and the engine streams the body into `res` with backpressure;
 * no → the engine drops the body (a retry or fallback follows). Then exactly one
 * of `onEnd` (an answer came) or `onFailure` (timeout, refused, reset: no answer).
 * necessary because callbacks, not a promise: every request passes here, and the
 * promise layers (engine → attempt → retries → handler) cost more than the routing.
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
  onResponse(status: number, headers: RawHeaders): boolean;
  /** The answer is over: streamed to the client (`delivered`) or dropped. */
  onEnd(result: UpstreamResult): void;
  /** No answer came. */
  onFailure(error: ProxyError): void;
}

/** One request in flight to an upstream. */
export interface UpstreamCall {
  /**
   * The client left: abort the upstream request (before or during its answer). A call
   * stopped before an answer reports `onFailure` with ERR_CLIENT_CLOSED; no effect once settled.
   */
  cancel(): void;
}

export interface UpstreamResult {
  status: number;
  delivered: boolean;
  /** The upstream failed in the middle of the body: the client connection was destroyed. */
  broken?: boolean;
}

export interface Forwarder {
  readonly engine: EngineName;
  send(request: UpstreamRequest, sink: ResponseSink): UpstreamCall;
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
