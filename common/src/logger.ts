import pino, { Logger, DestinationStream } from 'pino';

export type { Logger };

/** One structured logger per process; components add their name as a binding. */
export function createLogger(
  component: string,
  options: { level?: string; destination?: DestinationStream } = {},
): Logger {
  const level = options.level ?? process.env.LOG_LEVEL ?? 'info';
  return pino({ level, base: { component } }, options.destination);
}

/** A logger that drops everything: for tests that do not look at logs. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
