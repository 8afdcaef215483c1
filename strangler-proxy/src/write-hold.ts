import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { ProxyError } from './errors';
import { sendError } from './error-status';
import type { HoldOutcome, ProxyMetrics } from './metrics';

/** Sends a released request on by the table current at release time. */
export type ForwardHeld = (req: IncomingMessage, res: ServerResponse, body: Buffer | null) => void;

export interface HoldOptions {
  maxMs: number;
  maxQueued: number;
}

export interface HoldView {
  holdId: string;
  since: string;
  queued: number;
  expiresAt: string;
  /** DELETE …/hold was called: the queue is being sent on, one request at a time, in arrival order. */
  releasing: boolean;
  /** Writes of the set forwarded before the hold began and not yet answered. */
  inFlight: number;
}

/** Work that must be done before a new hold is in force, e.g. another data plane applying it. */
export type HoldApplier = (set: string) => Promise<void>;

export const HOLD_DEFAULTS: HoldOptions = { maxMs: 5_000, maxQueued: 1_000 };
export const HOLD_MAX_MS = 60_000;

interface Held {
  req: IncomingMessage;
  res: ServerResponse;
  body: Promise<Buffer | null>;
  settled: boolean;
}

interface Hold {
  set: string;
  holdId: string;
  since: number;
  options: HoldOptions;
  queue: Held[];
  timer: NodeJS.Timeout;
  releasing: boolean;
}

/**
 * Write holds during a handover: while a data set is held, write requests of its
 * routes wait here (bodies buffered, nothing sent upstream) in arrival order. Past
 * `maxQueued`, or when `maxMs` runs out, a request is answered 503 with Retry-After:
 * it was never forwarded, so the client may safely send it again. Release sends
 * the queue on by the current table (the new owner after a handover) in arrival
 * order, each as soon as its body is in, without waiting for the answers before it
 * (waiting would keep the hold alive for as long as clients keep writing). A request
 * is answered exactly once: forwarded, or refused.
 */
export class WriteHolds {
  private readonly holds = new Map<string, Hold>();
  /** Forwarded, unanswered write requests per data set, and who waits for them to reach zero. */
  private readonly inFlight = new Map<string, number>();
  private readonly quietWaiters = new Map<string, Set<() => void>>();
  private readonly appliers: HoldApplier[] = [];

  constructor(
    private readonly metrics: ProxyMetrics,
    private readonly logger: Logger,
    private readonly forward: ForwardHeld,
  ) {}

  /** True while any set is held: the request path checks this one flag first. */
  get any(): boolean {
    return this.holds.size > 0;
  }

  isHeld(set: string): boolean {
    return this.holds.has(set);
  }

  view(set: string): HoldView | null {
    const hold = this.holds.get(set);
    if (!hold) return null;
    return {
      holdId: hold.holdId,
      since: new Date(hold.since).toISOString(),
      queued: hold.queue.length,
      expiresAt: new Date(hold.since + hold.options.maxMs).toISOString(),
      releasing: hold.releasing,
      inFlight: this.inFlight.get(set) ?? 0,
    };
  }

  /** Registers work a new hold waits for before it is reported as in force. */
  addApplier(applier: HoldApplier): void {
    this.appliers.push(applier);
  }

  /** Counts a write of `set` from now until its response closes (a hold waits for these). */
  track(set: string, res: ServerResponse): void {
    this.inFlight.set(set, (this.inFlight.get(set) ?? 0) + 1);
    res.once('close', () => {
      const left = (this.inFlight.get(set) ?? 1) - 1;
      if (left > 0) return void this.inFlight.set(set, left);
      this.inFlight.delete(set);
      const waiters = this.quietWaiters.get(set);
      this.quietWaiters.delete(set);
      for (const wake of waiters ?? []) wake();
    });
  }

  /**
   * Starts a hold and answers once it is in force: the appliers are done and every write
   * of the set forwarded before it has been answered, so nothing reaches the old owner
   * after this returns. If those writes are still running after `quietWithinMs` the
   * hold ends (the queue goes on to the owner, unchanged) and this throws.
   */
  async hold(
    set: string,
    options: HoldOptions,
    quietWithinMs: number,
  ): Promise<{ set: string; holdId: string; since: string; waitedMs: number }> {
    const started = this.start(set, options);
    const t0 = Date.now();
    try {
      await Promise.all(this.appliers.map((apply) => apply(set)));
      const quiet = await this.quiet(set, Math.max(0, quietWithinMs - (Date.now() - t0)));
      if (!quiet)
        throw new ProxyError(
          'ERR_HOLD_NOT_QUIET',
          `${this.inFlight.get(set) ?? 0} write(s) of data set "${set}" forwarded before the hold were still unanswered after ${quietWithinMs} ms; the hold was lifted and nothing changed: try again when the upstream answers faster, or with a larger maxMs`,
        );
    } catch (error) {
      if (this.holds.get(set)?.holdId === started.holdId) this.release(set, started.holdId);
      throw error;
    }
    return { ...started, waitedMs: Date.now() - t0 };
  }

  private quiet(set: string, withinMs: number): Promise<boolean> {
    if (!this.inFlight.get(set)) return Promise.resolve(true);
    return new Promise((resolve) => {
      const waiters = this.quietWaiters.get(set) ?? new Set<() => void>();
      this.quietWaiters.set(set, waiters);
      const wake = () => {
        clearTimeout(timer);
        resolve(true);
      };
      const timer = setTimeout(() => {
        waiters.delete(wake);
        resolve(false);
      }, withinMs);
      timer.unref();
      waiters.add(wake);
    });
  }

  start(set: string, options: HoldOptions): { set: string; holdId: string; since: string } {
    const existing = this.holds.get(set);
    if (existing)
      throw new ProxyError(
        'ERR_HOLD_CONFLICT',
        `data set "${set}" is already held (holdId ${existing.holdId}, since ${new Date(existing.since).toISOString()}); release it first with DELETE /admin/data-sets/${set}/hold`,
      );
    const since = Date.now();
    const hold: Hold = {
      set,
      holdId: `hold-${randomBytes(6).toString('hex')}`,
      since,
      options,
      queue: [],
      releasing: false,
      timer: setTimeout(() => this.expire(hold), options.maxMs),
    };
    hold.timer.unref();
    this.holds.set(set, hold);
    this.logger.warn(
      { audit: true, action: 'hold', set, holdId: hold.holdId, ...options },
      `writes to data set ${set} held`,
    );
    return { set, holdId: hold.holdId, since: new Date(since).toISOString() };
  }

  /** Sends the queue on in order; the hold ends once it is empty. */
  release(set: string, holdId?: string): { released: number } {
    const hold = this.holds.get(set);
    if (holdId !== undefined && hold?.holdId !== holdId)
      throw new ProxyError(
        'ERR_HOLD_CONFLICT',
        hold
          ? `data set "${set}" is held by ${hold.holdId}, not ${holdId}; another handover holds it`
          : `hold ${holdId} of data set "${set}" is no longer active (it expired or was released); nothing was released`,
      );
    if (!hold) return { released: 0 };
    if (hold.releasing) return { released: 0 };
    clearTimeout(hold.timer);
    hold.releasing = true;
    const released = hold.queue.length;
    this.logger.info(
      { audit: true, action: 'release', set, holdId: hold.holdId, released },
      `writes to data set ${set} released`,
    );
    this.pump(hold);
    return { released };
  }

  /** Queues one write request of a held set (the caller checked `isHeld`). */
  enqueue(set: string, req: IncomingMessage, res: ServerResponse, maxBodyBytes: number): void {
    const hold = this.holds.get(set)!;
    if (hold.queue.length >= hold.options.maxQueued) {
      const left = hold.releasing ? 1_000 : hold.since + hold.options.maxMs - Date.now();
      return this.refuse(
        hold,
        req,
        res,
        'rejected-full',
        left,
        `${hold.options.maxQueued} requests are already waiting`,
      );
    }
    const held: Held = { req, res, body: Promise.resolve(null), settled: false };
    held.body = readBody(req, maxBodyBytes).then(
      (body) => body,
      (error: unknown) => {
        if (!held.settled) {
          held.settled = true;
          this.drop(hold, held);
          this.outcome(set, error instanceof ProxyError ? 'too-large' : 'abandoned');
          if (error instanceof ProxyError) {
            res.setHeader('connection', 'close');
            sendError(res, error);
          }
        }
        return null;
      },
    );
    res.on('close', () => {
      if (held.settled) return;
      held.settled = true;
      this.drop(hold, held);
      this.outcome(set, 'abandoned');
    });
    hold.queue.push(held);
    this.metrics.setHeldRequests(set, hold.queue.length);
  }

  /** Ends every hold (proxy shutdown): queued requests are answered 503, never sent. */
  close(): void {
    for (const hold of [...this.holds.values()]) this.expire(hold);
  }

  private pump(hold: Hold): void {
    const next = hold.queue[0];
    if (!next) {
      this.holds.delete(hold.set);
      this.metrics.setHeldRequests(hold.set, 0);
      return;
    }
    void next.body.then((body) => {
      if (next.settled) return this.pump(hold); // answered meanwhile (too large, client gone): already dropped
      next.settled = true;
      this.drop(hold, next);
      this.outcome(hold.set, 'released');
      try {
        this.forward(next.req, next.res, body);
      } catch (error) {
        this.logger.error({ err: error, set: hold.set }, 'a released request failed to start');
      }
      this.pump(hold);
    });
  }

  private expire(hold: Hold): void {
    if (this.holds.get(hold.set) !== hold) return;
    clearTimeout(hold.timer);
    const waiting = hold.queue.filter((held) => !held.settled);
    this.holds.delete(hold.set);
    this.logger.warn(
      {
        audit: true,
        action: 'hold-expired',
        set: hold.set,
        holdId: hold.holdId,
        refused: waiting.length,
      },
      `hold on data set ${hold.set} ran out after ${hold.options.maxMs} ms; ${waiting.length} waiting writes answered 503 (never forwarded)`,
    );
    for (const held of waiting) {
      held.settled = true;
      this.refuse(
        hold,
        held.req,
        held.res,
        'expired',
        1_000,
        `the hold ran out after ${hold.options.maxMs} ms`,
      );
    }
    hold.queue.length = 0;
    this.metrics.setHeldRequests(hold.set, 0);
  }

  private refuse(
    hold: Hold,
    req: IncomingMessage,
    res: ServerResponse,
    outcome: HoldOutcome,
    retryInMs: number,
    why: string,
  ): void {
    this.outcome(hold.set, outcome);
    const seconds = Math.max(1, Math.ceil(retryInMs / 1000));
    if (!res.headersSent) {
      res.setHeader('retry-after', String(seconds));
      if (!req.complete) res.setHeader('connection', 'close');
    }
    sendError(
      res,
      new ProxyError(
        'ERR_WRITES_HELD',
        `writes to data set "${hold.set}" are on hold while it is handed over (${hold.holdId}) and ${why}; this request was not forwarded: send it again after ${seconds} s`,
      ),
    );
    if (!req.complete) req.resume();
  }

  private drop(hold: Hold, held: Held): void {
    const index = hold.queue.indexOf(held);
    if (index >= 0) hold.queue.splice(index, 1);
    this.metrics.setHeldRequests(hold.set, hold.queue.length);
  }

  private outcome(set: string, outcome: HoldOutcome): void {
    this.metrics.countHoldOutcome(set, outcome);
  }
}

/** The whole request body in memory (up to the routes file's limit), so nothing upstream waits on a held client. */
function readBody(req: IncomingMessage, maxBytes: number): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? 0);
    const tooLarge = () =>
      new ProxyError(
        'ERR_BODY_TOO_LARGE',
        `request body is larger than limits.maxBodyBytes (${maxBytes} bytes)`,
      );
    if (declared > maxBytes) return reject(tooLarge());
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        req.removeAllListeners('data');
        req.resume();
        reject(tooLarge());
      } else chunks.push(chunk);
    });
    req.on('end', () => resolve(size > 0 ? Buffer.concat(chunks) : null));
    req.on('error', reject);
    req.on('aborted', () => reject(new Error('client aborted')));
  });
}
