import { createLogger } from '../../common/src/logger';
import { createProxy, type RunningProxy } from './create-proxy';
import { ProxyError } from './errors';
import { runNginxProxyUntilSignal } from './nginx';
import { recordRequestsPlugin } from './plugins/record-requests';
import { type ProxyEnv, readProxyEnv } from './proxy-env';

/**
 * Starts the Node proxy from the environment (PROXY_PORT 8080, PROXY_ADMIN_PORT 8081
 * on 127.0.0.1, ROUTES_FILE, STRANGLER_ADMIN_TOKEN) and prints both URLs.
 *
 * @example const { url, adminUrl, close } = await startProxy();
 */
export async function startProxy(overrides: Partial<ProxyEnv> = {}): Promise<RunningProxy> {
  const env = { ...readProxyEnv(), ...overrides };
  if (env.engine === 'nginx')
    throw new ProxyError(
      'ERR_PROXY_CONFIG',
      'startProxy starts the Node proxy; with PROXY_ENGINE=nginx use runProxyUntilSignal or `strangler proxy start`',
    );
  const logger = createLogger('strangler-proxy', { level: env.logLevel, async: true });
  const recorder = env.recordFile ? recordRequestsPlugin(env.recordFile) : null;
  const proxy = createProxy({
    routesFile: env.routesFile,
    adminToken: env.adminToken,
    adminDisabled: env.adminDisabled,
    engine: env.engine,
    logger,
    plugins: recorder ? [recorder] : [],
    processMonitorUrl: env.processMonitorUrl,
    stateFile: env.stateFile,
  });
  const started = await proxy.listen({
    port: env.port,
    host: env.host,
    adminPort: env.adminPort,
    adminHost: env.adminHost,
  });
  const running = recorder
    ? {
        ...started,
        close: async () => {
          await started.close();
          await recorder.close();
        },
      }
    : started;
  if (env.recordFile)
    process.stdout.write(
      `strangler proxy: recording requests to ${env.recordFile} (replay with strangler parity --requests)\n`,
    );
  process.stdout.write(
    `strangler proxy: ${running.url}  (admin: ${running.adminUrl}, routes: ${env.routesFile})\n`,
  );
  return running;
}

/** Runs until SIGINT/SIGTERM, then closes gracefully; PROXY_ENGINE=nginx (or engine: nginx) runs the nginx data plane. */
export async function runProxyUntilSignal(overrides: Partial<ProxyEnv> = {}): Promise<void> {
  if ((overrides.engine ?? readProxyEnv().engine) === 'nginx')
    return runNginxProxyUntilSignal(overrides);
  const running = await startProxy(overrides);
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await running.close();
}

if (require.main === module) {
  runProxyUntilSignal().catch((error) => {
    process.stderr.write(`error: ${(error as Error).message}\n`);
    process.exit(2);
  });
}
