import pino, { type Logger, type DestinationStream } from 'pino';
import { batchLines, openByteDestination } from './batched-destination';

export type { Logger };

export interface LoggerOptions {
  level?: string;
  destination?: DestinationStream;
  /**
   * Write to stdout in the background (servers: a line per request). Lines are
   * flushed on exit; only a SIGKILL can lose the last few.
   */
  async?: boolean;
}

/** One structured logger per process; components add their name as a binding. */
export function createLogger(component: string, options: LoggerOptions = {}): Logger {
  const level = options.level ?? process.env.LOG_LEVEL ?? 'info';
  // necessary because a synchronous write(2) per line costs a server several µs a request (bench:proxy).
  const destination =
    options.destination ??
    (options.async ? batchLines(() => openByteDestination(process.stdout.fd)) : undefined);
  return pino({ level, base: { component } }, destination);
}

/** A logger that drops everything: for tests that do not look at logs. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
