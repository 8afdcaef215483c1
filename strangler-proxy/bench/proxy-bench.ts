import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const autocannon = require('autocannon');

/**
 * npm run bench:proxy — same upstream, one run: direct, bare http-proxy,
 * the strangler proxy (undici engine, every feature on), the strangler proxy
 * on http-proxy-3, and nginx when installed. Bounded: BENCH_SECONDS (10) per
 * config after BENCH_WARMUP_SECONDS (5) of warm-up, BENCH_ROUNDS (3) rounds,
 * BENCH_CONNECTIONS (50); the best round per config is reported.
 */
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
// The strangler has more code to optimise than a bare proxy: a short warm-up penalises it unfairly.
const WARMUP = Number(process.env.BENCH_WARMUP_SECONDS ?? 5);
const PATH = '/catalog/albums/1';
const children: ChildProcess[] = [];

interface Target {
  url: string;
  /** The server's pid: its CPU time per request is robust on a busy machine, unlike req/s. */
  pid: number | null;
}

interface Sample {
  cpuMicros: number | null;
  rps: number;
  p50: number;
  p99: number;
  errors: number;
}

function startTarget(kind: string, upstream = ''): Promise<Target> {
  // `node --import tsx` (not the tsx CLI) so the pid is the server itself, for its CPU time.
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, 'bench-targets.ts'), kind, upstream], { stdio: ['ignore', 'pipe', 'inherit'] });
  children.push(child);
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk) => {
      out += chunk;
      const match = /READY (\S+)/.exec(out);
      if (match) resolve({ url: match[1], pid: child.pid! });
    });
    child.on('exit', (code) => reject(new Error(`${kind} exited with ${code}`)));
  });
}

function startNginx(upstream: string): Promise<Target> | null {
  let binary: string;
  try {
    binary = execFileSync('which', ['nginx'], { encoding: 'utf8' }).trim();
  } catch {
    process.stdout.write('nginx: not installed, skipped (install nginx to add it to the table)\n');
    return null;
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'strangler-nginx-'));
  const port = 20000 + Math.floor(Math.random() * 20000);
  fs.writeFileSync(path.join(dir, 'nginx.conf'), `daemon off; worker_processes 1; pid ${dir}/nginx.pid; error_log ${dir}/error.log;
events { worker_connections 1024; }
http { access_log off; client_body_temp_path ${dir}; proxy_temp_path ${dir};
  upstream app { server ${new URL(upstream).host}; keepalive 64; }
  server { listen 127.0.0.1:${port}; location / { proxy_pass http://app; proxy_http_version 1.1; proxy_set_header Connection ""; } } }
`);
  children.push(spawn(binary, ['-p', dir, '-c', path.join(dir, 'nginx.conf')], { stdio: 'ignore' }));
  const child = children[children.length - 1];
  return new Promise((resolve) => setTimeout(() => resolve({ url: `http://127.0.0.1:${port}`, pid: child.pid ?? null }), 500));
}

/** utime + stime of a process, in microseconds (Linux /proc). */
function cpuMicrosOf(pid: number | null): number | null {
  if (pid === null) return null;
  try {
    const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1_000_000) / 100;
  } catch {
    return null;
  }
}

async function measure(target: Target, seconds: number): Promise<Sample> {
  const cpuBefore = cpuMicrosOf(target.pid);
  const result = await autocannon({ url: target.url + PATH, connections: CONNECTIONS, duration: seconds, headers: { 'x-customer-id': 'bench-user' } });
  const cpuAfter = cpuMicrosOf(target.pid);
  const total = result.requests.total || 1;
  return {
    cpuMicros: cpuBefore === null || cpuAfter === null ? null : (cpuAfter - cpuBefore) / total,
    rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, errors: result.errors + result.non2xx + result.timeouts,
  };
}

async function main(): Promise<void> {
  const upstream = await startTarget('upstream');
  const targets: Array<[string, Target]> = [['direct', { url: upstream.url, pid: null }]];
  targets.push(['bare http-proxy', await startTarget('bare-http-proxy', upstream.url)]);
  targets.push(['undici engine alone', await startTarget('bare-undici', upstream.url)]);
  targets.push(['strangler (undici)', await startTarget('strangler-undici', upstream.url)]);
  targets.push(['strangler (http-proxy-3)', await startTarget('strangler-http-proxy-3', upstream.url)]);
  const nginx = startNginx(upstream.url);
  if (nginx) targets.push(['nginx', await nginx]);
  process.stdout.write(`bench: ${targets.length} configs × ${ROUNDS} rounds × ${SECONDS}s, ${CONNECTIONS} connections, GET ${PATH}, node ${process.version}, ${os.cpus().length} cpus\n`);
  for (const [, target] of targets) await measure(target, WARMUP); // warm-up (JIT, keep-alive pools)
  const samples = new Map<string, Sample[]>(targets.map(([name]) => [name, []]));
  for (let round = 1; round <= ROUNDS; round++) {
    for (const [name, url] of targets) {
      const sample = await measure(url, SECONDS);
      samples.get(name)!.push(sample);
      const cpu = sample.cpuMicros === null ? '' : `  proxy CPU ${Math.round(sample.cpuMicros)} µs/req`;
      process.stdout.write(`  round ${round} ${name.padEnd(26)} ${Math.round(sample.rps)} req/s  p50 ${sample.p50} ms  p99 ${sample.p99} ms${cpu}${sample.errors ? `  errors ${sample.errors}` : ''}\n`);
    }
  }
  // Best round per config: on a shared machine interference only ever makes a round worse.
  const table = targets.map(([name]) => {
    const s = samples.get(name)!;
    const best = s.reduce((a, b) => (b.rps > a.rps ? b : a));
    const cpus = s.map((x) => x.cpuMicros).filter((x): x is number => x !== null);
    return { name, cpu: cpus.length ? Math.min(...cpus) : null, rps: best.rps, p50: best.p50, p99: best.p99, errors: s.reduce((a, x) => a + x.errors, 0) };
  });
  const direct = table[0];
  const bare = table[1];
  process.stdout.write(`\nbest of ${ROUNDS} rounds per config (req/s with its p50/p99; lowest CPU µs/req)\n`);
  process.stdout.write(`\n| config | req/s | p50 ms | p99 ms | vs bare http-proxy | p99 − direct | proxy CPU µs/req | errors |\n|---|---:|---:|---:|---:|---:|---:|---:|\n`);
  for (const row of table) {
    const cpu = row.cpu === null ? '-' : String(Math.round(row.cpu));
    process.stdout.write(`| ${row.name} | ${Math.round(row.rps)} | ${row.p50} | ${row.p99} | ${(row.rps / bare.rps).toFixed(2)}× | ${row.p99 - direct.p99 >= 0 ? '+' : ''}${row.p99 - direct.p99} ms | ${cpu} | ${row.errors} |\n`);
  }
  const strangler = table.find((r) => r.name === 'strangler (undici)')!;
  process.stdout.write(`\ntarget: strangler ≥ 1.5× bare http-proxy → ${(strangler.rps / bare.rps).toFixed(2)}×; p99 ≤ direct + 2 ms → +${strangler.p99 - direct.p99} ms\n`);
  if (strangler.cpu !== null && bare.cpu !== null) process.stdout.write(`CPU per request: bare http-proxy / strangler = ${(bare.cpu / strangler.cpu).toFixed(2)}× (load-independent efficiency ratio)\n`);
  process.stdout.write(`machine load average during the run: ${os.loadavg().map((l) => l.toFixed(1)).join(' ')} (numbers are only comparable within one run)\n`);
}

function stopChildren(): void {
  for (const child of children) child.kill('SIGTERM');
}

main()
  .catch((error) => {
    process.stderr.write(`bench failed: ${(error as Error).stack}\n`);
    process.exitCode = 1;
  })
  .finally(stopChildren);
