import { z } from 'zod';
import { type DatabaseTarget, parseDatabaseUrl } from '../../../common/src/database';
import { projectPath } from '../../../common/src/project-root';
import { type EventsEnvironment, loadEventsEnvironment } from '../../../events/src/config';
import {
  loadSubscriptionFile,
  type SubscriptionSettings,
} from '../../../events/src/subscription-file';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

export const DEFAULT_SUBSCRIPTION_FILE = projectPath(
  'extracted',
  'reporting-service',
  'subscription.yaml',
);

const environmentSchema = z.object({
  REPORTING_PORT: z
    .string()
    .regex(/^\d+$/, 'expected an integer 0-65535 (example: REPORTING_PORT=4003)')
    .transform(Number)
    .refine((value) => value <= 65535, 'expected an integer 0-65535 (example: REPORTING_PORT=4003)')
    .default(4003),
  REPORTING_HOST: z.string().min(1).default('127.0.0.1'),
  REPORTING_DATABASE_URL: z.string().optional(),
  REPORTING_SUBSCRIPTION_FILE: z.string().default(DEFAULT_SUBSCRIPTION_FILE),
  LOG_LEVEL: z
    .enum(LOG_LEVELS, `expected one of ${LOG_LEVELS.join(', ')} (example: LOG_LEVEL=info)`)
    .default('info'),
});

export interface ReportingConfig {
  readonly port: number;
  readonly host: string;
  readonly database: DatabaseTarget;
  readonly logLevel: (typeof LOG_LEVELS)[number];
  readonly subscription: SubscriptionSettings;
  readonly events: EventsEnvironment;
}

/**
 * Reads the reporting service's environment (and its subscription file): the only place it does.
 *
 * @example loadConfig({ REPORTING_PORT: '4003', EVENTS_BROKER_URL: 'amqp://guest:guest@127.0.0.1:5672' })
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): ReportingConfig {
  const pick = (name: keyof z.input<typeof environmentSchema>) => env[name] || undefined;
  const parsed = environmentSchema.safeParse({
    REPORTING_PORT: pick('REPORTING_PORT'),
    REPORTING_HOST: pick('REPORTING_HOST'),
    REPORTING_DATABASE_URL: pick('REPORTING_DATABASE_URL'),
    REPORTING_SUBSCRIPTION_FILE: pick('REPORTING_SUBSCRIPTION_FILE'),
    LOG_LEVEL: pick('LOG_LEVEL'),
  });
  if (!parsed.success) {
    const problems = parsed.error.issues.map(
      (issue) => `${issue.path.join('.')}: ${issue.message}`,
    );
    throw new Error(`reporting-service configuration is invalid: ${problems.join('; ')}`);
  }
  const data = parsed.data;
  return Object.freeze({
    port: data.REPORTING_PORT,
    host: data.REPORTING_HOST,
    database: Object.freeze(parseDatabaseUrl(data.REPORTING_DATABASE_URL, 'reporting-service')),
    logLevel: data.LOG_LEVEL,
    subscription: loadSubscriptionFile(data.REPORTING_SUBSCRIPTION_FILE),
    events: loadEventsEnvironment(env),
  });
}
