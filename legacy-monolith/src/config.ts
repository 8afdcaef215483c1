import { z } from 'zod';
import { DatabaseTarget, parseDatabaseUrl } from '../../common/src/database';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const environmentSchema = z.object({
  PORT: z
    .string()
    .regex(/^\d+$/, 'expected an integer 0-65535 (example: PORT=3000)')
    .transform(Number)
    .refine((port) => port <= 65535, 'expected an integer 0-65535 (example: PORT=3000)')
    .default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  DATABASE_URL: z.string().optional(),
  LOG_LEVEL: z.enum(LOG_LEVELS, `expected one of ${LOG_LEVELS.join(', ')} (example: LOG_LEVEL=info)`).default('info'),
});

export interface MonolithConfig {
  readonly port: number;
  readonly host: string;
  readonly database: DatabaseTarget;
  readonly logLevel: (typeof LOG_LEVELS)[number];
}

/**
 * Reads the monolith's environment: the only place it does.
 *
 * @example loadConfig({ PORT: '3000', DATABASE_URL: 'postgres://postgres@127.0.0.1/monolith' })
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): MonolithConfig {
  const parsed = environmentSchema.safeParse({
    PORT: env.PORT || undefined,
    HOST: env.HOST || undefined,
    DATABASE_URL: env.DATABASE_URL || undefined,
    LOG_LEVEL: env.LOG_LEVEL || undefined,
  });
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new Error(`legacy-monolith configuration is invalid: ${problems.join('; ')}`);
  }
  const { PORT, HOST, DATABASE_URL, LOG_LEVEL } = parsed.data;
  return Object.freeze({
    port: PORT,
    host: HOST,
    database: Object.freeze(parseDatabaseUrl(DATABASE_URL, 'monolith')),
    logLevel: LOG_LEVEL,
  });
}
