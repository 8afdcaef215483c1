import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { childPids } from '../../common/src/child-pids';
import { compiledScript, ensureCompiled } from '../../common/src/compiled-build';
import { loadRoutesFile, type RoutesFile } from '../src/config';
import { installConfig, prefixIn, renderNginxConfig, requireNginx, startNginx } from '../src/nginx';
import {
  closedLoopGenerator,
  cpuMicrosOf,
  isInstalled,
  measureClosedLoop,
  median,
  pairedRatio,
} from './closed-loop';

/**
 * npm run bench:nginx — the nginx data plane generated from the kit's routes file
 * (strangler-proxy/routes.yaml, every upstream pointed at one bench upstream)
 * against a bare nginx `proxy_pass` to the same upstream, in the same run, with the
 * Node proxy (undici engine, every feature on) beside them.
 *
 * The data plane also runs without its JSON access log, to show what the metrics cost.
 * Closed loop (BENCH_CONNECTIONS 50): BENCH_WARMUP_SECONDS (3) per config, then
 * BENCH_ROUNDS (5) interleaved rounds of BENCH_SECONDS (5); the ratio is the median
 * of per-round ratios (data plane round k over bare nginx round k). Both nginx
 * configs run one worker; with taskset and 2+ CPUs the proxies run on the last CPU
 * and the upstream and load generator on the others. About two minutes in all.
 */
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const WARMUP = Number(process.env.BENCH_WARMUP_SECONDS ?? 3);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const PATH = '/catalog/albums/1';
const HEADERS = { 'x-customer-id': 'bench-user' };
const KIT_ROUTES = path.resolve(__dirname, '..', 'routes.yaml');
const children: ChildProcess[] = [];
const BENCH_TARGETS = compiledScript('strangler-proxy/bench/bench-targets.ts');
const stops: Array<() => Promise<void>> = [];

interface Target {
  name: string;
  url: string;
  /** The server's pid: its CPU time (and its children's: nginx's worker) per request. */
  pid: number;
}

function placement(): { proxyCpu: string; loadCpus: string } | null {
  const cpus = os.availableParallelism();
  if (cpus < 2 || !isInstalled('taskset')) return null;
  const place = { proxyCpu: String(cpus - 1), loadCpus: cpus === 2 ? '0' : `0-${cpus - 2}` };
  execFileSync('taskset', ['-a', '-p', '-c', place.loadCpus, String(process.pid)], {
    stdio: 'ignore',
  });
  return place;
}

/** Pins a process and its children (nginx's worker) to `cpu`. */
function pin(pid: number, cpu: string | null): void {
  if (cpu === null) return;
  for (const id of [pid, ...childPids(pid)])
    execFileSync('taskset', ['-a', '-p', '-c', cpu, String(id)], { stdio: 'ignore' });
}

/** A child from bench-targets.ts (the bench upstream, or the Node proxy), pinned; resolves with its URL. */
function startBenchTarget(
  kind: string,
  cpu: string | null,
  upstream = '',
): Promise<{ url: string; pid: number }> {
  const args = [BENCH_TARGETS, kind, upstream];
  const child =
    cpu === null
      ? spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] })
      : spawn('taskset', ['-c', cpu, process.execPath, ...args], {
          stdio: ['ignore', 'pipe', 'inherit'],
        });
  children.push(child);
  return new Promise((resolve, reject) => {
    let head = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      head += chunk.toString('utf8');
      const match = /READY (\S+)\n/.exec(head);
      if (match) {
        child.stdout!.removeAllListeners('data');
        child.stdout!.resume();
        resolve({ url: match[1], pid: child.pid! });
      }
    });
    child.on('exit', (code) => reject(new Error(`${kind} exited with ${code}`)));
  });
}

/** The kit's routes with every upstream at the bench upstream. */
function kitRoutesAt(upstream: string): RoutesFile {
  const routes = loadRoutesFile(KIT_ROUTES);
  return {
    ...routes,
    upstreams: Object.fromEntries(
      Object.entries(routes.upstreams).map(([name, spec]) => [name, { ...spec, url: upstream }]),
    ),
  };
}

async function runNginx(name: string, text: string, port: number, cpu: string | null) {
  const bin = requireNginx();
  const dir = fs.mkdtempSync(
    path.join(os.tmpdir(), `strangler-bench-${name.replace(/\W+/g, '-')}-`),
  );
  const prefix = prefixIn(dir);
  await installConfig(bin, prefix, text);
  const nginx = await startNginx(bin, prefix, { host: '127.0.0.1', port });
  pin(nginx.pid, cpu);
  stops.push(async () => {
    await nginx.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  return { name, url: `http://127.0.0.1:${port}`, pid: nginx.pid };
}

function bareNginxConfig(upstream: string, port: number): string {
  return `worker_processes 1;
pid nginx.pid;
error_log error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path client_body_temp; proxy_temp_path proxy_temp;
  fastcgi_temp_path fastcgi_temp; uwsgi_temp_path uwsgi_temp; scgi_temp_path scgi_temp;
  upstream app { server ${new URL(upstream).host}; keepalive 128; }
  server {
    listen 127.0.0.1:${port};
    location / { proxy_pass http://app; proxy_http_version 1.1; proxy_set_header Connection ""; }
  }
}
`;
}

async function freePort(): Promise<number> {
  const net = await import('node:net');
  return new Promise((resolve) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

async function main(): Promise<void> {
  ensureCompiled(
    (line) => process.stderr.write(`${line}\n`),
    ['strangler-proxy/bench/bench-targets.ts'],
  );
  const cpuCount = os.availableParallelism();
  const place = placement();
  const proxyCpu = place?.proxyCpu ?? null;
  const loadCpus = place?.loadCpus ?? null;
  const generator = closedLoopGenerator();
  const upstream = (await startBenchTarget('upstream', loadCpus)).url;
  const barePort = await freePort();
  const bare = await runNginx(
    'bare nginx proxy_pass',
    bareNginxConfig(upstream, barePort),
    barePort,
    proxyCpu,
  );
  const planePort = await freePort();
  const rendered = renderNginxConfig(kitRoutesAt(upstream), {
    listen: { host: '127.0.0.1', port: planePort },
    source: 'strangler-proxy/routes.yaml',
    // As `proxy start --engine nginx` renders it: the control process keeps the breakers.
    openBreakers: new Set(),
    allowDrop: ['shadow', 'promote'],
    runAsRoot: process.getuid?.() === 0,
  });
  // One worker, like the baseline: the ratio compares configurations, not worker counts.
  const planeText = rendered.text.replace('worker_processes auto;', 'worker_processes 1;');
  const plane = await runNginx('nginx data plane (kit routes)', planeText, planePort, proxyCpu);
  // The same data plane without its JSON access log: what the per-route metrics cost (part of the data plane's figure).
  const quietPort = await freePort();
  const quiet = await runNginx(
    'nginx data plane, no access log',
    planeText
      .replace(/^ {2}access_log .*$/m, '  access_log off;')
      .replace(`listen 127.0.0.1:${planePort};`, `listen 127.0.0.1:${quietPort};`),
    quietPort,
    proxyCpu,
  );
  const node: Target = {
    name: 'Node proxy (undici, every feature)',
    ...(await startBenchTarget('strangler-undici', proxyCpu, upstream)),
  };
  const targets: Target[] = [bare, plane, quiet, node];
  process.stdout.write(
    `bench:nginx: GET ${PATH}, ${cpuCount} cpus, load generator ${generator}, ${CONNECTIONS} connections, ${ROUNDS} rounds × ${SECONDS} s${place ? `, proxies on cpu ${proxyCpu}` : ''}\n`,
  );
  const options = { seconds: WARMUP, connections: CONNECTIONS, headers: HEADERS, cpus: loadCpus };
  for (const target of targets) {
    process.stdout.write(`  warming up ${target.name}…\n`);
    await measureClosedLoop(generator, `${target.url}${PATH}`, options);
  }
  const rps = new Map<string, number[]>(targets.map((t) => [t.name, []]));
  const errors = new Map<string, number>(targets.map((t) => [t.name, 0]));
  const cpu = new Map<string, { micros: number; requests: number }>(
    targets.map((t) => [t.name, { micros: 0, requests: 0 }]),
  );
  for (let round = 1; round <= ROUNDS; round++) {
    for (const target of targets) {
      const before = cpuMicrosOf(target.pid);
      const result = await measureClosedLoop(generator, `${target.url}${PATH}`, {
        ...options,
        seconds: SECONDS,
      });
      const used = cpu.get(target.name)!;
      // Linux only, as the bench is (taskset, /proc): both readings are there.
      used.micros += cpuMicrosOf(target.pid)! - before!;
      used.requests += result.total;
      rps.get(target.name)!.push(result.rps);
      errors.set(target.name, errors.get(target.name)! + result.errors);
    }
    process.stdout.write(
      `  round ${round}/${ROUNDS}: ${targets.map((t) => `${t.name} ${Math.round(rps.get(t.name)!.at(-1)!)}`).join(', ')} req/s\n`,
    );
  }
  const ratio = pairedRatio(rps.get(plane.name)!, rps.get(bare.name)!);
  const nodeRatio = pairedRatio(rps.get(node.name)!, rps.get(bare.name)!);
  process.stdout.write(
    '\nconfig                               req/s (median)   × bare nginx   CPU µs/request   errors\n',
  );
  for (const target of targets) {
    const own = pairedRatio(rps.get(target.name)!, rps.get(bare.name)!).median;
    process.stdout.write(
      `${target.name.padEnd(37)}${String(Math.round(median(rps.get(target.name)!))).padStart(14)}${own.toFixed(2).padStart(15)}${(cpu.get(target.name)!.micros / cpu.get(target.name)!.requests).toFixed(1).padStart(17)}${String(errors.get(target.name)).padStart(9)}\n`,
    );
  }
  process.stdout.write(
    `\nnginx data plane / bare nginx: ${ratio.median.toFixed(2)}× (per round ${ratio.perRound.map((r) => r.toFixed(2)).join(', ')}; goal ≥ 0.90×: ${ratio.median >= 0.9 ? 'met' : 'NOT met'})\n` +
      `Node proxy / bare nginx: ${nodeRatio.median.toFixed(2)}×\n`,
  );
  if ([...errors.values()].some((n) => n > 0))
    process.stdout.write('warning: some requests failed; the numbers above are not comparable\n');
}

async function stopAll(): Promise<void> {
  for (const stop of stops) await stop().catch(() => undefined);
  for (const child of children) child.kill();
}

// Ctrl-C or a kill stops the servers this run started, not only the run.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    process.stderr.write(`bench:nginx: ${signal}, stopping the servers it started\n`);
    void stopAll().finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
  });
}

main()
  .then(stopAll)
  .catch(async (error) => {
    process.stderr.write(`bench:nginx: ${(error as Error).message}\n`);
    await stopAll();
    process.exitCode = 2;
  });
