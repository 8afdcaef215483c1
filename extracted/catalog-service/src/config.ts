import { z } from 'zod';
import { type DatabaseTarget, parseDatabaseUrl } from '../../../common/src/database';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const environmentSchema = z.object({
  CATALOG_PORT: z
    .string()
    .regex(/^\d+$/, 'expected an integer 0-65535 (example: CATALOG_PORT=4001)')
    .transform(Number)
    .refine((port) => port <= 65535, 'expected an integer 0-65535 (example: CATALOG_PORT=4001)')
    .default(4001),
  CATALOG_HOST: z.string().min(1).default('127.0.0.1'),
  CATALOG_DATABASE_URL: z.string().optional(),
  LOG_LEVEL: z
    .enum(LOG_LEVELS, `expected one of ${LOG_LEVELS.join(', ')} (example: LOG_LEVEL=info)`)
    .default('info'),
});

export interface CatalogConfig {
  readonly port: number;
  readonly host: string;
  readonly database: DatabaseTarget;
  readonly logLevel: (typeof LOG_LEVELS)[number];
}

/**
 * Reads the catalog service's environment: the only place it does.
 *
 * @example loadConfig({ CATALOG_PORT: '4001', CATALOG_DATABASE_URL: 'sqlite:data/catalog-service.sqlite' })
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): CatalogConfig {
  const parsed = environmentSchema.safeParse({
    CATALOG_PORT: env.CATALOG_PORT || undefined,
    CATALOG_HOST: env.CATALOG_HOST || undefined,
    CATALOG_DATABASE_URL: env.CATALOG_DATABASE_URL || undefined,
    LOG_LEVEL: env.LOG_LEVEL || undefined,
  });
  if (!parsed.success) {
    const problems = parsed.error.issues.map(
      (issue) => `${issue.path.join('.')}: ${issue.message}`,
    );
    throw new Error(`catalog-service configuration is invalid: ${problems.join('; ')}`);
  }
  const { CATALOG_PORT, CATALOG_HOST, CATALOG_DATABASE_URL, LOG_LEVEL } = parsed.data;
  return Object.freeze({
    port: CATALOG_PORT,
    host: CATALOG_HOST,
    database: Object.freeze(parseDatabaseUrl(CATALOG_DATABASE_URL, 'catalog-service')),
    logLevel: LOG_LEVEL,
  });
}
