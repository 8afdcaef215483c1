import fs from 'node:fs';
import path from 'node:path';
import { Writable } from 'node:stream';
import pino from 'pino';
import {
  createProxy,
  // biome-ignore lint/suspicious/noShadowRestrictedNames: the proxy factory's own type, not the global Proxy
  type Proxy,
  type ProxyOptions,
  type RunningProxy,
} from '../../src/create-proxy';
import { ADMIN_TOKEN, routesConfig, writeRoutesFile } from './routes';

export interface LogCapture {
  lines: Array<Record<string, unknown>>;
  logger: pino.Logger;
}

/** A pino logger whose JSON lines land in an array. */
export function captureLogs(): LogCapture {
  const lines: Array<Record<string, unknown>> = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split('\n')) if (line) lines.push(JSON.parse(line));
      done();
    },
  });
  return { lines, logger: pino({ level: 'info' }, destination) };
}

export interface TestProxy extends RunningProxy {
  proxy: Proxy;
  file: string | null;
  logs: LogCapture;
  admin(path: string, init?: RequestInit): Promise<Response>;
}

/** A proxy on random loopback ports, from a routes document (written to a temp file unless `inMemory`). */
export async function startTestProxy(
  doc: Record<string, unknown>,
  options: Partial<ProxyOptions> & { inMemory?: boolean } = {},
): Promise<TestProxy> {
  const logs = captureLogs();
  const file = options.inMemory ? null : writeRoutesFile(doc);
  const proxy = createProxy({
    ...(file ? { routesFile: file } : { routes: routesConfig(doc) }),
    adminToken: ADMIN_TOKEN,
    logger: logs.logger,
    watch: false,
    ...options,
  });
  const running = await proxy.listen({ port: 0, adminPort: 0 });
  return {
    ...running,
    close: async () => {
      await running.close();
      if (file) fs.rmSync(path.dirname(file), { recursive: true, force: true });
    },
    proxy,
    file,
    logs,
    admin: (path, init = {}) =>
      fetch(running.adminUrl + path, {
        ...init,
        headers: {
          authorization: `Bearer ${ADMIN_TOKEN}`,
          'content-type': 'application/json',
          ...(init.headers as Record<string, string>),
        },
      }),
  };
}
