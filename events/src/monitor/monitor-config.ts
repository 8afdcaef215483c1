import { z } from 'zod';
import { type DatabaseTarget, parseDatabaseUrl } from '../../../common/src/database';
import { type EventsEnvironment, loadEventsEnvironment } from '../config';
import { EventsError } from '../errors';
import { loadProcessFile, type ProcessDefinition } from './process-file';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const environmentSchema = z.object({
  MONITOR_PORT: z
    .string()
    .regex(/^\d+$/, 'expected an integer 0-65535 (example: MONITOR_PORT=4004)')
    .transform(Number)
    .refine((n) => n <= 65535, 'expected an integer 0-65535 (example: MONITOR_PORT=4004)')
    .default(4004),
  MONITOR_HOST: z.string().min(1).default('127.0.0.1'),
  MONITOR_DATABASE_URL: z.string().optional(),
  MONITOR_PROCESSES_FILE: z.string({
    error:
      'required: the YAML file of processes to watch (example: MONITOR_PROCESSES_FILE=legacy-monolith/processes.yaml)',
  }),
  LOG_LEVEL: z.enum(LOG_LEVELS, `expected one of ${LOG_LEVELS.join(', ')}`).default('info'),
});

export interface MonitorConfig {
  readonly port: number;
  readonly host: string;
  readonly database: DatabaseTarget;
  readonly processes: ProcessDefinition[];
  readonly logLevel: (typeof LOG_LEVELS)[number];
  readonly events: EventsEnvironment;
}

/** Reads the process monitor's environment and its processes file: the only place it does. */
export function loadMonitorConfig(env: NodeJS.ProcessEnv = process.env): MonitorConfig {
  const parsed = environmentSchema.safeParse({
    MONITOR_PORT: env.MONITOR_PORT || undefined,
    MONITOR_HOST: env.MONITOR_HOST || undefined,
    MONITOR_DATABASE_URL: env.MONITOR_DATABASE_URL || undefined,
    MONITOR_PROCESSES_FILE: env.MONITOR_PROCESSES_FILE || undefined,
    LOG_LEVEL: env.LOG_LEVEL || undefined,
  });
  if (!parsed.success) {
    const problems = parsed.error.issues.map(
      (issue) => `${issue.path.join('.')}: ${issue.message}`,
    );
    throw new EventsError(
      'ERR_EVENTS_CONFIG',
      `process monitor configuration is invalid: ${problems.join('; ')}`,
    );
  }
  const data = parsed.data;
  return Object.freeze({
    port: data.MONITOR_PORT,
    host: data.MONITOR_HOST,
    database: parseDatabaseUrl(data.MONITOR_DATABASE_URL, 'process-monitor'),
    processes: loadProcessFile(data.MONITOR_PROCESSES_FILE),
    logLevel: data.LOG_LEVEL,
    events: loadEventsEnvironment(env),
  });
}
