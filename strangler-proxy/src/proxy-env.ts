import path from 'node:path';
import { z } from 'zod';
import { DATA_DIR } from '../../common/src/database';
import { projectPath } from '../../common/src/project-root';
import { ENGINES } from './forwarder';
import { ProxyError } from './errors';

export const DEFAULT_ROUTES_FILE = projectPath('strangler-proxy', 'routes.yaml');

const envSchema = z.object({
  PROXY_PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  PROXY_HOST: z.string().default('127.0.0.1'),
  PROXY_ADMIN_PORT: z.coerce.number().int().min(0).max(65535).default(8081),
  PROXY_ADMIN_HOST: z.string().default('127.0.0.1'),
  PROXY_ENGINE: z
    .enum([...ENGINES, 'nginx'], {
      error: (issue) =>
        `must be one of ${[...ENGINES, 'nginx'].join(', ')} (got "${String(issue.input)}")`,
    })
    .default('undici'),
  STRANGLER_ADMIN_TOKEN: z.string().optional(),
  STRANGLER_ADMIN_DISABLED: z.enum(['0', '1', 'true', 'false']).optional(),
  ROUTES_FILE: z.string().default(DEFAULT_ROUTES_FILE),
  PROXY_RECORD_FILE: z.string().optional(),
  PROXY_STATE_FILE: z.string().optional(),
  PROCESS_MONITOR_URL: z.url({ protocol: /^https?$/ }).optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export type ProxyEnv = Readonly<{
  port: number;
  host: string;
  adminPort: number;
  adminHost: string;
  /** nginx: nginx serves the traffic, as `proxy start --engine nginx`. */
  engine: (typeof ENGINES)[number] | 'nginx';
  adminToken: string | null;
  adminDisabled: boolean;
  routesFile: string;
  /** Where to append a request log for `strangler parity` (unset: no recording). */
  recordFile: string | null;
  /** Promotions in progress and shadow results, kept across restarts (default: the data folder). */
  stateFile: string;
  /** The business-process monitor the dashboard shows (unset: the panel says how to add one). */
  processMonitorUrl: string | null;
  logLevel: string;
}>;

/** The one place that reads the proxy's environment. */
export function readProxyEnv(env: NodeJS.ProcessEnv = process.env): ProxyEnv {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ProxyError(
      'ERR_PROXY_CONFIG',
      `environment variable ${String(issue.path[0])}: ${issue.message}`,
    );
  }
  const e = parsed.data;
  return Object.freeze({
    port: e.PROXY_PORT,
    host: e.PROXY_HOST,
    adminPort: e.PROXY_ADMIN_PORT,
    adminHost: e.PROXY_ADMIN_HOST,
    engine: e.PROXY_ENGINE,
    adminToken:
      e.STRANGLER_ADMIN_TOKEN && e.STRANGLER_ADMIN_TOKEN.length > 0
        ? e.STRANGLER_ADMIN_TOKEN
        : null,
    adminDisabled: e.STRANGLER_ADMIN_DISABLED === '1' || e.STRANGLER_ADMIN_DISABLED === 'true',
    routesFile: path.resolve(e.ROUTES_FILE),
    recordFile: e.PROXY_RECORD_FILE ? path.resolve(e.PROXY_RECORD_FILE) : null,
    stateFile: path.resolve(
      e.PROXY_STATE_FILE ?? path.join(DATA_DIR, 'strangler-proxy-state.json'),
    ),
    processMonitorUrl: e.PROCESS_MONITOR_URL ?? null,
    logLevel: e.LOG_LEVEL,
  });
}
