import pino, { type Logger, type DestinationStream } from 'pino';

export type { Logger };

export interface LoggerOptions {
  level?: string;
  destination?: DestinationStream;
  /**
   * Write to stdout in the background (servers: a line per request), in batches
   * of up to 64 KiB handed on at least every 50 ms. Lines are flushed on exit;
   * only a SIGKILL can lose the last few.
   */
  async?: boolean;
}

/** One structured logger per process; components add their name as a binding. */
export function createLogger(component: string, options: LoggerOptions = {}): Logger {
  const level = options.level ?? process.env.LOG_LEVEL ?? 'info';
  const destination = options.destination ?? (options.async ? batchedStdout() : undefined);
  return pino({ level, base: { component } }, destination);
}

/**
 * pino's asynchronous stdout destination, gathering lines into few writes.
 * necessary because a write per line costs a server a thread-pool round trip
 * per request (bench:proxy). pino flushes it synchronously on exit.
 */
function batchedStdout(): DestinationStream {
  // Written when 64 KiB wait, and at least every 50 ms so a quiet server's lines still appear.
  return pino.destination({
    dest: process.stdout.fd,
    sync: false,
    minLength: 64 * 1024,
    maxWrite: 128 * 1024,
    periodicFlush: 50,
  });
}

/** A logger that drops everything: for tests that do not look at logs. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
