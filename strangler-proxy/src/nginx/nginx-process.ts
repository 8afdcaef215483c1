import { type ChildProcess, execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { NginxError } from './nginx-error';
import { childPids } from '../../../common/src/child-pids';
import { workersRetired } from './nginx-workers';

const CANDIDATES = [
  '/usr/sbin/nginx',
  '/usr/local/sbin/nginx',
  '/usr/bin/nginx',
  '/usr/local/bin/nginx',
];

export const INSTALL_HINT =
  'install it with your package manager (Debian/Ubuntu: apt-get install -y nginx; macOS: brew install nginx) or set NGINX_BIN to its path';

/** The nginx binary: NGINX_BIN, then the usual places, then PATH; null when there is none. */
export function findNginx(env: NodeJS.ProcessEnv = process.env): string | null {
  if (env.NGINX_BIN) return fs.existsSync(env.NGINX_BIN) ? env.NGINX_BIN : null;
  const onPath = (env.PATH ?? '').split(path.delimiter).map((dir) => path.join(dir, 'nginx'));
  return [...CANDIDATES, ...onPath].find((file) => isExecutable(file)) ?? null;
}

function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

/** The nginx binary, or a clear error (exit 2) saying how to install it. */
export function requireNginx(): string {
  const bin = findNginx();
  if (!bin)
    throw new NginxError(
      'ERR_NGINX_MISSING',
      `nginx is not installed (looked for NGINX_BIN, ${CANDIDATES.join(', ')} and PATH): ${INSTALL_HINT}`,
    );
  return bin;
}

/** Where one nginx instance keeps its configuration, pid file, logs and temp files. */
export interface NginxPrefix {
  dir: string;
  configFile: string;
  errorLog: string;
  accessLog: string;
}

export function prefixIn(dir: string): NginxPrefix {
  fs.mkdirSync(dir, { recursive: true });
  return {
    dir,
    configFile: path.join(dir, 'nginx.conf'),
    errorLog: path.join(dir, 'error.log'),
    accessLog: path.join(dir, 'access.log'),
  };
}

function baseArgs(bin: string, prefix: NginxPrefix, configFile: string): string[] {
  // `-e` sets the error log before the configuration is read (nginx ≥ 1.19.5), so no system path is touched.
  return [bin, '-p', `${prefix.dir}/`, '-c', configFile, '-e', prefix.errorLog];
}

function run(args: string[]): Promise<{ ok: boolean; output: string }> {
  return new Promise((resolve) => {
    execFile(args[0], args.slice(1), { timeout: 30_000 }, (error, stdout, stderr) =>
      resolve({ ok: !error, output: `${stdout}${stderr}`.trim() }),
    );
  });
}

/**
 * `nginx -t` on a configuration text, written beside the live one first; the live
 * file is replaced only when nginx accepts it, so a refused config is never applied.
 */
export async function installConfig(bin: string, prefix: NginxPrefix, text: string): Promise<void> {
  const candidate = `${prefix.configFile}.next`;
  fs.writeFileSync(candidate, text);
  const tested = await run([...baseArgs(bin, prefix, candidate), '-t', '-q']);
  if (!tested.ok) {
    throw new NginxError(
      'ERR_NGINX_CONFIG_REFUSED',
      `nginx refused the generated configuration (kept the one it runs; see ${candidate}):\n${tested.output}`,
    );
  }
  fs.renameSync(candidate, prefix.configFile);
}

export interface RunningNginx {
  pid: number;
  /**
   * `nginx -s reload`: resolves once the installed configuration serves every new connection
   * (the previous workers only finish the requests they have).
   */
  reload(): Promise<void>;
  /** Graceful stop (SIGQUIT), then SIGKILL after `graceMs`. */
  stop(graceMs?: number): Promise<void>;
  /** Resolves when nginx exits, with the reason. */
  exited: Promise<string>;
}

/** Runs nginx in the foreground (`daemon off`) as a child of this process; resolves once it listens (the config names `pid nginx.pid`, under the prefix). */
export async function startNginx(
  bin: string,
  prefix: NginxPrefix,
  listen: { host: string; port: number },
): Promise<RunningNginx> {
  const child: ChildProcess = spawn(
    bin,
    [...baseArgs(bin, prefix, prefix.configFile).slice(1), '-g', 'daemon off;'],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4_000);
  });
  const exited = new Promise<string>((resolve) =>
    child.once('exit', (code, signal) =>
      resolve(`nginx exited (${signal ?? `code ${code}`})${stderr ? `: ${stderr.trim()}` : ''}`),
    ),
  );
  let gone: string | null = null;
  void exited.then((reason) => {
    gone = reason;
  });
  const deadline = Date.now() + 10_000;
  // nginx writes its pid file after it bound its port: until then a listener there may be someone else's.
  const pidFile = path.join(prefix.dir, 'nginx.pid');
  while (!(ownsPidFile(pidFile, child.pid) && (await canConnect(listen)))) {
    if (gone !== null) throw new NginxError('ERR_NGINX_FAILED', `${gone}; see ${prefix.errorLog}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new NginxError(
        'ERR_NGINX_FAILED',
        `nginx did not listen on ${listen.host}:${listen.port} within 10 s; see ${prefix.errorLog}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return {
    pid: child.pid!,
    async reload() {
      const previous = childPids(child.pid!);
      const result = await run([...baseArgs(bin, prefix, prefix.configFile), '-s', 'reload']);
      if (!result.ok)
        throw new NginxError('ERR_NGINX_FAILED', `nginx -s reload failed: ${result.output}`);
      // Until its old workers stop taking connections, nginx still serves the previous configuration too.
      if (!(await workersRetired(previous, 10_000)))
        throw new NginxError(
          'ERR_NGINX_FAILED',
          `nginx did not take the new configuration within 10 s (its previous workers still take connections); see ${prefix.errorLog}`,
        );
    },
    async stop(graceMs = 5_000) {
      if (gone !== null) return;
      child.kill('SIGQUIT');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
    exited,
  };
}

function ownsPidFile(file: string, pid: number | undefined): boolean {
  try {
    return Number(fs.readFileSync(file, 'utf8').trim()) === pid;
  } catch {
    return false;
  }
}

function canConnect(listen: { host: string; port: number }): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(listen.port, listen.host);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** A port free on the host right now (nginx cannot listen on port 0). */
export function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, host, () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}
