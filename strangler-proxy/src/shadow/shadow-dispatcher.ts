import type { ResponseSnapshot } from './compare-responses';

export interface ShadowRequest {
  method: string;
  /** Origin-form target, e.g. `/catalog/albums?page=2`. */
  path: string;
  headers: Record<string, string | string[]>;
  body?: Buffer;
}

/** Performs the candidate request; must stop when `signal` aborts (the slot is given back at the timeout). */
export type ShadowSend = (request: ShadowRequest, signal: AbortSignal) => Promise<ResponseSnapshot>;

export type DropReason = 'method' | 'concurrency' | 'timeout' | 'error';

export type ShadowOutcome =
  | { status: 'answered'; response: ResponseSnapshot; durationMs: number }
  | { status: 'dropped'; reason: DropReason; error?: Error };

export interface ShadowDispatcherOptions {
  maxConcurrent: number;
  timeoutMs: number;
  send: ShadowSend;
  /** The candidate is a sandbox: methods other than GET and HEAD may be sent to it. */
  sandbox?: boolean;
}

export interface ShadowStats {
  inFlight: number;
  sent: number;
  answered: number;
  dropped: Record<DropReason, number>;
}

const SAFE_METHODS = new Set(['GET', 'HEAD']);

/**
 * Fire-and-forget candidate requests with a concurrency cap and a timeout.
 * `dispatch` returns at once with a promise that never rejects; the send starts on a
 * later tick, so the caller's response is never delayed by the candidate.
 *
 * @example
 * const shadow = createShadowDispatcher({ maxConcurrent: 10, timeoutMs: 2000, send: createHttpSender('http://127.0.0.1:4001') });
 * void shadow.dispatch({ method: 'GET', path: '/catalog/albums', headers: {} }).then(compareWithPrimary);
 */
export function createShadowDispatcher(options: ShadowDispatcherOptions) {
  const stats: ShadowStats = {
    inFlight: 0,
    sent: 0,
    answered: 0,
    dropped: { method: 0, concurrency: 0, timeout: 0, error: 0 },
  };
  let idle: Array<() => void> = [];

  function drop(reason: DropReason, error?: Error): ShadowOutcome {
    stats.dropped[reason] += 1;
    return { status: 'dropped', reason, error };
  }

  function release(): void {
    stats.inFlight -= 1;
    if (stats.inFlight === 0) {
      for (const resolve of idle) resolve();
      idle = [];
    }
  }

  function dispatch(request: ShadowRequest): Promise<ShadowOutcome> {
    // SECURITY: a shadow copy of a write would perform the write twice; only a sandbox may receive one.
    if (!options.sandbox && !SAFE_METHODS.has(request.method.toUpperCase()))
      return Promise.resolve(drop('method'));
    if (stats.inFlight >= options.maxConcurrent) return Promise.resolve(drop('concurrency'));
    stats.inFlight += 1;
    stats.sent += 1;
    const started = performance.now();
    return new Promise((resolve) => {
      const controller = new AbortController();
      let settled = false;
      const settle = (outcome: () => ShadowOutcome) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        release();
        resolve(outcome());
      };
      const timer = setTimeout(() => {
        controller.abort(new Error(`shadow request exceeded ${options.timeoutMs} ms`));
        settle(() => drop('timeout'));
      }, options.timeoutMs);
      setImmediate(() => {
        if (settled) return;
        Promise.resolve()
          .then(() => options.send(request, controller.signal))
          .then(
            (response) =>
              settle(() => {
                stats.answered += 1;
                return { status: 'answered', response, durationMs: performance.now() - started };
              }),
            (error: Error) => settle(() => drop('error', error)),
          );
      });
    });
  }

  return {
    dispatch,
    stats: (): ShadowStats => ({ ...stats, dropped: { ...stats.dropped } }),
    /** Resolves when no candidate request is in flight (shutdown, tests). */
    drain: (): Promise<void> =>
      stats.inFlight === 0 ? Promise.resolve() : new Promise((resolve) => idle.push(resolve)),
  };
}

export type ShadowDispatcher = ReturnType<typeof createShadowDispatcher>;
