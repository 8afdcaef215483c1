import { z } from 'zod';
import { type DatabaseTarget, parseDatabaseUrl } from '../../../common/src/database';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const port = (name: string, fallback: number) =>
  z
    .string()
    .regex(/^\d+$/, `expected an integer 0-65535 (example: ${name}=${fallback})`)
    .transform(Number)
    .refine((value) => value <= 65535, `expected an integer 0-65535 (example: ${name}=${fallback})`)
    .default(fallback);

const environmentSchema = z.object({
  FINANCE_PORT: port('FINANCE_PORT', 4002),
  FINANCE_HOST: z.string().min(1).default('127.0.0.1'),
  FINANCE_DATABASE_URL: z.string().optional(),
  CATALOG_SERVICE_URL: z
    .url('expected an http URL (example: CATALOG_SERVICE_URL=http://127.0.0.1:4001)')
    .default('http://127.0.0.1:4001'),
  CATALOG_TIMEOUT_MS: z
    .string()
    .regex(/^[1-9]\d*$/, 'expected milliseconds (example: CATALOG_TIMEOUT_MS=2000)')
    .transform(Number)
    .default(2000),
  LOG_LEVEL: z
    .enum(LOG_LEVELS, `expected one of ${LOG_LEVELS.join(', ')} (example: LOG_LEVEL=info)`)
    .default('info'),
});

export interface FinanceConfig {
  readonly port: number;
  readonly host: string;
  readonly database: DatabaseTarget;
  readonly catalogUrl: string;
  readonly catalogTimeoutMs: number;
  readonly logLevel: (typeof LOG_LEVELS)[number];
}

/**
 * Reads the finance service's environment: the only place it does.
 *
 * @example loadConfig({ FINANCE_PORT: '4002', CATALOG_SERVICE_URL: 'http://127.0.0.1:4001' })
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): FinanceConfig {
  const pick = (name: keyof z.input<typeof environmentSchema>) => env[name] || undefined;
  const parsed = environmentSchema.safeParse({
    FINANCE_PORT: pick('FINANCE_PORT'),
    FINANCE_HOST: pick('FINANCE_HOST'),
    FINANCE_DATABASE_URL: pick('FINANCE_DATABASE_URL'),
    CATALOG_SERVICE_URL: pick('CATALOG_SERVICE_URL'),
    CATALOG_TIMEOUT_MS: pick('CATALOG_TIMEOUT_MS'),
    LOG_LEVEL: pick('LOG_LEVEL'),
  });
  if (!parsed.success) {
    const problems = parsed.error.issues.map(
      (issue) => `${issue.path.join('.')}: ${issue.message}`,
    );
    throw new Error(`finance-service configuration is invalid: ${problems.join('; ')}`);
  }
  const data = parsed.data;
  return Object.freeze({
    port: data.FINANCE_PORT,
    host: data.FINANCE_HOST,
    database: Object.freeze(parseDatabaseUrl(data.FINANCE_DATABASE_URL, 'finance-service')),
    catalogUrl: data.CATALOG_SERVICE_URL,
    catalogTimeoutMs: data.CATALOG_TIMEOUT_MS,
    logLevel: data.LOG_LEVEL,
  });
}
