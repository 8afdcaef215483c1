import path from 'node:path';
import { writeFileAtomically } from '../../../common/src/atomic-write';
import { readChoice, readInteger } from '../../../common/src/cli-options';
import { loadRoutesFile } from '../config';
import { readProxyEnv } from '../proxy-env';
import { DROPPABLE_NAMES, type DroppableFeature } from './carried-features';
import { NginxError } from './nginx-error';
import { renderNginxConfig } from './render-config';

export interface ExportOptions {
  routes: string;
  format: string;
  out?: string;
  listen?: string;
  allowDrop?: string;
}

/** `strangler routes export --format nginx`: the config on stdout, or written whole to --out. */
export function exportRoutes(options: ExportOptions, print: (text: string) => void): void {
  readChoice(options.format, '--format', ['nginx']);
  const allowDrop = parseAllowDrop(options.allowDrop);
  const env = readProxyEnv();
  const listen = parseListen(options.listen ?? `${env.host}:${env.port}`);
  const { text, dropped } = renderNginxConfig(loadRoutesFile(options.routes), {
    listen,
    source: path.basename(options.routes),
    allowDrop,
  });
  if (!options.out) {
    print(text.trimEnd());
    return;
  }
  writeFileAtomically(options.out, text);
  process.stderr.write(
    `${options.out}: nginx config for ${options.routes} (listen ${listen.host}:${listen.port}${dropped.length ? `; not carried: ${dropped.map((d) => d.feature).join(', ')}` : ''})\n` +
      `check it: nginx -t -p <folder> -c ${path.resolve(options.out)}\n`,
  );
}

export function parseAllowDrop(value: string | undefined): DroppableFeature[] {
  if (!value) return [];
  const names = value
    .split(',')
    .map((n) => n.trim())
    .filter(Boolean);
  const unknown = names.filter((n) => !DROPPABLE_NAMES.includes(n as DroppableFeature));
  if (unknown.length > 0)
    throw new NginxError(
      'ERR_NGINX_EXPORT_REFUSED',
      `--allow-drop: unknown feature ${unknown.map((n) => `"${n}"`).join(', ')}; known: ${DROPPABLE_NAMES.join(', ')}`,
    );
  return names as DroppableFeature[];
}

function parseListen(value: string): { host: string; port: number } {
  const colon = value.lastIndexOf(':');
  if (colon < 1)
    throw new NginxError(
      'ERR_NGINX_EXPORT_REFUSED',
      `--listen "${value}" must look like host:port, e.g. 127.0.0.1:8080`,
    );
  const port = readInteger(value.slice(colon + 1), {
    flag: '--listen port',
    min: 1,
    max: 65535,
    example: '--listen 127.0.0.1:8080',
  });
  return { host: value.slice(0, colon), port };
}
