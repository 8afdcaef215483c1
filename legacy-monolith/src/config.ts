import { z } from 'zod';
import { type DatabaseTarget, parseDatabaseUrl } from '../../common/src/database';
import { type EventsEnvironment, loadEventsEnvironment } from '../../events/src/config';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const httpUrl = (name: string, example: string) =>
  z
    .url({ protocol: /^https?$/, error: `expected an http URL (example: ${name}=${example})` })
    .optional();

const milliseconds = (name: string, fallback: number) =>
  z
    .string()
    .regex(/^[1-9]\d{0,5}$/, `expected milliseconds 1-999999 (example: ${name}=${fallback})`)
    .transform(Number)
    .default(fallback);

const environmentSchema = z
  .object({
    PORT: z
      .string()
      .regex(/^\d+$/, 'expected an integer 0-65535 (example: PORT=3000)')
      .transform(Number)
      .refine((port) => port <= 65535, 'expected an integer 0-65535 (example: PORT=3000)')
      .default(3000),
    HOST: z.string().min(1).default('127.0.0.1'),
    DATABASE_URL: z.string().optional(),
    LOG_LEVEL: z
      .enum(LOG_LEVELS, `expected one of ${LOG_LEVELS.join(', ')} (example: LOG_LEVEL=info)`)
      .default('info'),
    CATALOG_ADAPTER: z
      .enum(['database', 'http'], 'expected database or http (example: CATALOG_ADAPTER=http)')
      .default('database'),
    CATALOG_SERVICE_URL: httpUrl('CATALOG_SERVICE_URL', 'http://127.0.0.1:4001'),
    CATALOG_TIMEOUT_MS: milliseconds('CATALOG_TIMEOUT_MS', 2000),
    FINANCE_MODE: z
      .enum(['local', 'service'], 'expected local or service (example: FINANCE_MODE=service)')
      .default('local'),
    FINANCE_SERVICE_URL: httpUrl('FINANCE_SERVICE_URL', 'http://127.0.0.1:4002'),
    FINANCE_TIMEOUT_MS: milliseconds('FINANCE_TIMEOUT_MS', 3000),
  })
  .refine((env) => env.CATALOG_ADAPTER !== 'http' || env.CATALOG_SERVICE_URL, {
    path: ['CATALOG_SERVICE_URL'],
    message:
      'required when CATALOG_ADAPTER=http (example: CATALOG_SERVICE_URL=http://127.0.0.1:4001)',
  })
  .refine((env) => env.FINANCE_MODE !== 'service' || env.FINANCE_SERVICE_URL, {
    path: ['FINANCE_SERVICE_URL'],
    message:
      'required when FINANCE_MODE=service (example: FINANCE_SERVICE_URL=http://127.0.0.1:4002)',
  });

export type CatalogSwitch =
  | { readonly adapter: 'database' }
  | { readonly adapter: 'http'; readonly url: string; readonly timeoutMs: number };
export type FinanceSwitch =
  | { readonly mode: 'local' }
  | { readonly mode: 'service'; readonly url: string; readonly timeoutMs: number };

export interface MonolithConfig {
  readonly port: number;
  readonly host: string;
  readonly database: DatabaseTarget;
  readonly logLevel: (typeof LOG_LEVELS)[number];
  /** Where catalog reads of finance, warehouse and recommendation go (branch by abstraction). */
  readonly catalog: CatalogSwitch;
  /** Whether orders book money in the monolith's own transaction or through finance-service (a saga). */
  readonly finance: FinanceSwitch;
  /** EVENTS_BROKER_URL and friends: with a broker set, the outbox is relayed to it. */
  readonly events: EventsEnvironment;
}

const NAMES = [
  'PORT',
  'HOST',
  'DATABASE_URL',
  'LOG_LEVEL',
  'CATALOG_ADAPTER',
  'CATALOG_SERVICE_URL',
  'CATALOG_TIMEOUT_MS',
  'FINANCE_MODE',
  'FINANCE_SERVICE_URL',
  'FINANCE_TIMEOUT_MS',
] as const;

/**
 * Reads the monolith's environment: the only place it does.
 *
 * @example loadConfig({ PORT: '3000', DATABASE_URL: 'postgres://postgres@127.0.0.1/monolith', CATALOG_ADAPTER: 'http', CATALOG_SERVICE_URL: 'http://127.0.0.1:4001' })
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): MonolithConfig {
  const parsed = environmentSchema.safeParse(
    Object.fromEntries(NAMES.map((name) => [name, env[name] || undefined])),
  );
  if (!parsed.success) {
    const problems = parsed.error.issues.map(
      (issue) => `${issue.path.join('.')}: ${issue.message}`,
    );
    throw new Error(`legacy-monolith configuration is invalid: ${problems.join('; ')}`);
  }
  const data = parsed.data;
  const catalog: CatalogSwitch =
    data.CATALOG_ADAPTER === 'http'
      ? { adapter: 'http', url: data.CATALOG_SERVICE_URL!, timeoutMs: data.CATALOG_TIMEOUT_MS }
      : { adapter: 'database' };
  const finance: FinanceSwitch =
    data.FINANCE_MODE === 'service'
      ? { mode: 'service', url: data.FINANCE_SERVICE_URL!, timeoutMs: data.FINANCE_TIMEOUT_MS }
      : { mode: 'local' };
  return Object.freeze({
    port: data.PORT,
    host: data.HOST,
    database: Object.freeze(parseDatabaseUrl(data.DATABASE_URL, 'monolith')),
    logLevel: data.LOG_LEVEL,
    catalog: Object.freeze(catalog),
    finance: Object.freeze(finance),
    events: loadEventsEnvironment(env),
  });
}
