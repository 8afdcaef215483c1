import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { compiledScript, ensureCompiled } from '../../common/src/compiled-build';
import {
  type ClosedLoopResult,
  closedLoopGenerator,
  cpuMicrosOf,
  isInstalled,
  measureClosedLoop,
  median,
  pairedDifference,
  pairedRatio,
} from './closed-loop';
import { type OpenLoopResult, measureOpenLoop } from './open-loop';
import { type StallSummary, probeStalls } from './stall-probe';

/**
 * npm run bench:proxy — one run, one upstream, each config measured the same way:
 * direct; bare http-proxy with a keep-alive agent; the undici engine alone; the
 * strangler proxy with every feature on (matching, canary, metrics, info logs,
 * breaker, retry, fallback), on undici and on http-proxy-3; nginx when installed.
 *
 * 1. Throughput: closed loop (BENCH_CONNECTIONS 50), BENCH_WARMUP_SECONDS (10)
 *    per config, then BENCH_ROUNDS (5) interleaved rounds of BENCH_SECONDS (10),
 *    each after BENCH_ROUND_WARMUP_SECONDS (3) unmeasured. The median round counts;
 *    the throughput target is the median of per-round ratios (strangler round k
 *    over bare http-proxy round k, measured back to back).
 * 2. Latency: an open loop at BENCH_RATE req/s (1000), measured from each request's
 *    scheduled start: BENCH_LATENCY_ROUNDS (5) interleaved rounds of BENCH_LATENCY_SECONDS (5),
 *    the strangler right after direct; its added p99 is the median of the per-round
 *    differences (strangler round k minus direct round k).
 * 3. Stalls: before the latency phase, a spin loop on each CPU counts the gaps
 *    the machine itself makes (a shared VM's steal): latency differences of that
 *    size are the machine's, not a proxy's.
 *
 * With taskset and 2+ CPUs, the proxy under test runs alone on the last CPU and
 * the upstream, load generator and this process share the others, so the
 * proxies compete only with themselves (a fair stand-in for separate machines).
 */
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
// The strangler has more code for the JIT to optimise than a bare proxy: a short warm-up penalises it.
const WARMUP = Number(process.env.BENCH_WARMUP_SECONDS ?? 10);
// Before every round too: a config idle while the others ran comes back colder (V8 ages out unused code).
const ROUND_WARMUP = Number(process.env.BENCH_ROUND_WARMUP_SECONDS ?? 3);
const RATE = Number(process.env.BENCH_RATE ?? 1000);
const LATENCY_SECONDS = Number(process.env.BENCH_LATENCY_SECONDS ?? 5);
// One 10 s run's p99 was set by a few VM stalls: direct alone moved 3–23 ms between runs at 1000 req/s.
const LATENCY_ROUNDS = Number(process.env.BENCH_LATENCY_ROUNDS ?? 5);
const STALL_PROBE_SECONDS = Number(process.env.BENCH_STALL_PROBE_SECONDS ?? 3);
const PATH = '/catalog/albums/1';
const HEADERS = { 'x-customer-id': 'bench-user' };
const children: ChildProcess[] = [];
const BENCH_TARGETS = compiledScript('strangler-proxy/bench/bench-targets.ts');
// The config both targets judge (against bare http-proxy, and against direct).
const STRANGLER = 'strangler (undici)';

interface Placement {
  proxyCpu: string;
  loadCpus: string;
}

interface Target {
  name: string;
  url: string;
  /** The proxy's pid (its CPU time per request), null for direct. */
  pid: number | null;
  /** Lines the target wrote to stdout after READY: the strangler's info logs. */
  lines: () => number;
}

function placeProcesses(): Placement | null {
  const cpus = os.availableParallelism();
  if (cpus < 2 || !isInstalled('taskset')) return null;
  const placement = { proxyCpu: String(cpus - 1), loadCpus: cpus === 2 ? '0' : `0-${cpus - 2}` };
  execFileSync('taskset', ['-a', '-p', '-c', placement.loadCpus, String(process.pid)], {
    stdio: 'ignore',
  });
  return placement;
}

function pinned(cpu: string | null, command: string, args: string[]): [string, string[]] {
  // taskset execs the command: the child's pid is the server's own.
  return cpu === null ? [command, args] : ['taskset', ['-c', cpu, command, ...args]];
}

function startTarget(
  name: string,
  kind: string,
  cpu: string | null,
  upstream = '',
): Promise<Target> {
  // The compiled JavaScript, as npm start runs it; node itself, so the pid's CPU time is the server's.
  const [command, args] = pinned(cpu, process.execPath, [BENCH_TARGETS, kind, upstream]);
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  children.push(child);
  return new Promise((resolve, reject) => {
    let head = '';
    let lines = 0;
    let url: string | null = null;
    child.stdout!.on('data', (chunk: Buffer) => {
      if (url !== null) {
        for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) lines++;
        return;
      }
      head += chunk.toString('utf8');
      const match = /READY (\S+)\n/.exec(head);
      if (!match) return;
      url = match[1];
      lines = head.slice(match.index + match[0].length).split('\n').length - 1;
      resolve({ name, url, pid: child.pid!, lines: () => lines });
    });
    child.on('exit', (code) => reject(new Error(`${kind} exited with ${code}`)));
  });
}

function startNginx(upstream: string, cpu: string | null): Promise<Target> | null {
  if (!isInstalled('nginx')) {
    process.stdout.write('nginx: not installed, left out (install nginx to add it to the table)\n');
    return null;
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'strangler-nginx-'));
  const port = 20000 + Math.floor(Math.random() * 20000);
  fs.writeFileSync(
    path.join(dir, 'nginx.conf'),
    `daemon off; worker_processes 1; pid ${dir}/nginx.pid; error_log ${dir}/error.log;
events { worker_connections 1024; }
http { access_log off; client_body_temp_path ${dir}; proxy_temp_path ${dir};
  upstream app { server ${new URL(upstream).host}; keepalive 64; }
  server { listen 127.0.0.1:${port}; location / { proxy_pass http://app; proxy_http_version 1.1; proxy_set_header Connection ""; } } }
`,
  );
  const [command, args] = pinned(cpu, 'nginx', ['-p', dir, '-c', path.join(dir, 'nginx.conf')]);
  const child = spawn(command, args, { stdio: 'ignore' });
  children.push(child);
  child.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
  return new Promise((resolve) =>
    setTimeout(
      () =>
        resolve({
          name: 'nginx',
          url: `http://127.0.0.1:${port}`,
          pid: child.pid ?? null,
          lines: () => 0,
        }),
      500,
    ),
  );
}

const fmt = (ms: number) => (Number.isFinite(ms) ? ms.toFixed(2) : '-');

async function main(): Promise<void> {
  ensureCompiled(
    (line) => process.stderr.write(`${line}\n`),
    ['strangler-proxy/bench/bench-targets.ts'],
  );
  const cpuCount = os.availableParallelism();
  const placement = placeProcesses();
  const proxyCpu = placement?.proxyCpu ?? null;
  const loadCpus = placement?.loadCpus ?? null;
  const generator = closedLoopGenerator();
  const upstream = await startTarget('upstream', 'upstream', loadCpus);
  const targets: Target[] = [{ name: 'direct', url: upstream.url, pid: null, lines: () => 0 }];
  targets.push(await startTarget('bare http-proxy', 'bare-http-proxy', proxyCpu, upstream.url));
  // Right after the baseline, so each of its rounds runs next to the baseline's (paired ratio).
  const strangler = await startTarget(STRANGLER, 'strangler-undici', proxyCpu, upstream.url);
  targets.push(strangler);
  targets.push(await startTarget('undici engine alone', 'bare-undici', proxyCpu, upstream.url));
  targets.push(
    await startTarget('strangler (http-proxy-3)', 'strangler-http-proxy-3', proxyCpu, upstream.url),
  );
  const nginx = startNginx(upstream.url, proxyCpu);
  if (nginx !== null) targets.push(await nginx);

  process.stdout.write(
    `bench: ${targets.length} configs, GET ${PATH}, node ${process.version}, ${cpuCount} cpus, load generator ${generator}${generator === 'autocannon' ? ' (install wrk for a lighter one)' : ''}\n`,
  );
  process.stdout.write(
    placement
      ? `placement: proxy under test alone on CPU ${placement.proxyCpu}; upstream, load generator and bench on CPU ${placement.loadCpus}\n`
      : 'placement: none (taskset missing or 1 CPU): proxies share the CPU with the load generator, ratios are diluted\n',
  );
  process.stdout.write(
    `throughput: ${CONNECTIONS} connections, ${WARMUP}s warm-up, ${ROUNDS} interleaved rounds × ${SECONDS}s (each after ${ROUND_WARMUP}s unmeasured); latency: ${RATE} req/s open loop, ${LATENCY_ROUNDS} interleaved rounds × ${LATENCY_SECONDS}s\n`,
  );

  const closed = { seconds: SECONDS, connections: CONNECTIONS, headers: HEADERS, cpus: loadCpus };
  const sent = new Map<string, number>();
  for (const target of targets) {
    process.stdout.write(`  warm-up ${target.name}\n`);
    sent.set(
      target.name,
      (await measureClosedLoop(generator, target.url + PATH, { ...closed, seconds: WARMUP })).total,
    );
  }
  const rounds = new Map<string, Array<ClosedLoopResult & { cpu: number | null }>>(
    targets.map((t) => [t.name, []]),
  );
  for (let round = 1; round <= ROUNDS; round++) {
    for (const target of targets) {
      if (ROUND_WARMUP > 0)
        sent.set(
          target.name,
          sent.get(target.name)! +
            (
              await measureClosedLoop(generator, target.url + PATH, {
                ...closed,
                seconds: ROUND_WARMUP,
              })
            ).total,
        );
      const before = cpuMicrosOf(target.pid);
      const result = await measureClosedLoop(generator, target.url + PATH, closed);
      const after = cpuMicrosOf(target.pid);
      const cpu =
        before === null || after === null ? null : (after - before) / Math.max(1, result.total);
      rounds.get(target.name)!.push({ ...result, cpu });
      sent.set(target.name, sent.get(target.name)! + result.total);
      process.stdout.write(
        `  round ${round} ${target.name.padEnd(26)} ${Math.round(result.rps)} req/s  p50 ${fmt(result.p50)} ms  p99 ${fmt(result.p99)} ms${cpu === null ? '' : `  proxy CPU ${Math.round(cpu)} µs/req`}${result.errors ? `  errors ${result.errors}` : ''}\n`,
      );
    }
  }
  // Nothing else runs now: what the spin loops lose, every latency round below is exposed to.
  const stalls = await Promise.all(
    placement
      ? [
          probeStalls(placement.proxyCpu, STALL_PROBE_SECONDS),
          probeStalls(placement.loadCpus, STALL_PROBE_SECONDS),
        ]
      : [probeStalls(null, STALL_PROBE_SECONDS)],
  );
  const latency = new Map<string, OpenLoopResult[]>(targets.map((t) => [t.name, []]));
  // The strangler right after direct, so each of its rounds is paired with one of direct's measured just before.
  const latencyOrder = [targets[0], strangler, ...targets.slice(1).filter((t) => t !== strangler)];
  for (let round = 1; round <= LATENCY_ROUNDS; round++) {
    for (const target of latencyOrder) {
      const open = { rate: RATE, connections: CONNECTIONS, path: PATH, headers: HEADERS };
      // A short unmeasured run first: opens the connections and warms the sender's own code.
      sent.set(
        target.name,
        sent.get(target.name)! + (await measureOpenLoop(target.url, { ...open, seconds: 1 })).sent,
      );
      const result = await measureOpenLoop(target.url, { ...open, seconds: LATENCY_SECONDS });
      latency.get(target.name)!.push(result);
      sent.set(target.name, sent.get(target.name)! + result.sent);
      process.stdout.write(
        `  latency round ${round} ${target.name.padEnd(26)} p50 ${fmt(result.p50)} ms  p99 ${fmt(result.p99)} ms  p99.9 ${fmt(result.p999)} ms${result.errors ? `  errors ${result.errors}` : ''}\n`,
      );
    }
  }
  // Let the last access-log lines reach stdout before counting them.
  await new Promise((resolve) => setTimeout(resolve, 500));
  report(targets, rounds, latency, sent, stalls);
}

function report(
  targets: Target[],
  rounds: Map<string, Array<ClosedLoopResult & { cpu: number | null }>>,
  latency: Map<string, OpenLoopResult[]>,
  sent: Map<string, number>,
  stalls: StallSummary[],
): void {
  const rows = targets.map((target) => {
    const runs = rounds.get(target.name)!;
    const mid = [...runs].sort((a, b) => a.rps - b.rps)[Math.floor(runs.length / 2)];
    const cpus = runs.map((r) => r.cpu).filter((c): c is number => c !== null);
    return {
      target,
      rps: mid.rps,
      best: Math.max(...runs.map((r) => r.rps)),
      p50: mid.p50,
      p99: mid.p99,
      cpu: cpus.length ? median(cpus) : null,
      errors: runs.reduce((a, r) => a + r.errors, 0),
    };
  });
  const [direct, bare] = rows;
  process.stdout.write(
    `\nthroughput, closed loop (median of ${ROUNDS} rounds; its p50/p99 are mostly queueing at saturation)\n\n`,
  );
  process.stdout.write(
    '| config | req/s | best round | p50 ms | p99 ms | vs bare http-proxy | proxy CPU µs/req | errors |\n|---|---:|---:|---:|---:|---:|---:|---:|\n',
  );
  for (const row of rows) {
    process.stdout.write(
      `| ${row.target.name} | ${Math.round(row.rps)} | ${Math.round(row.best)} | ${fmt(row.p50)} | ${fmt(row.p99)} | ${(row.rps / bare.rps).toFixed(2)}× | ${row.cpu === null ? '-' : Math.round(row.cpu)} | ${row.errors} |\n`,
    );
  }
  const directP99 = latency.get(direct.target.name)!.map((l) => l.p99);
  process.stdout.write(
    `\nlatency at ${RATE} req/s, open loop (from each request's scheduled start; median of ${LATENCY_ROUNDS} rounds)\n\n| config | p50 ms | p99 ms | p99.9 ms | p99 − direct (median of rounds) | errors |\n|---|---:|---:|---:|---:|---:|\n`,
  );
  for (const target of targets) {
    const runs = latency.get(target.name)!;
    const added = pairedDifference(
      runs.map((l) => l.p99),
      directP99,
    ).median;
    const of = (pick: (l: OpenLoopResult) => number) => median(runs.map(pick));
    process.stdout.write(
      `| ${target.name} | ${fmt(of((l) => l.p50))} | ${fmt(of((l) => l.p99))} | ${fmt(of((l) => l.p999))} | ${added >= 0 ? '+' : ''}${fmt(added)} ms | ${runs.reduce((a, l) => a + l.errors, 0)} |\n`,
    );
  }
  process.stdout.write(
    `\nmachine stalls (a spin loop per CPU, ${STALL_PROBE_SECONDS}s, nothing else running; gaps ≥ ${stalls[0].thresholdMs} ms):\n`,
  );
  for (const stall of stalls) {
    process.stdout.write(
      `  CPU ${stall.cpu ?? 'any'}: ${stall.perSecond.toFixed(1)} stalls/s, ${stall.lostPercent.toFixed(1)}% of the time lost, longest ${fmt(stall.maxMs)} ms\n`,
    );
  }
  const longestStall = Math.max(...stalls.map((stall) => stall.maxMs));
  const strangler = rows.find((r) => r.target.name === STRANGLER)!;
  const paired = pairedRatio(
    rounds.get(strangler.target.name)!.map((r) => r.rps),
    rounds.get(bare.target.name)!.map((r) => r.rps),
  );
  const ratio = paired.median;
  const addedLatency = pairedDifference(
    latency.get(strangler.target.name)!.map((l) => l.p99),
    directP99,
  );
  const added = addedLatency.median;
  process.stdout.write(
    `\ninfo logs on: strangler (undici) wrote ${strangler.target.lines()} log lines for about ${sent.get(strangler.target.name)} requests\n`,
  );
  process.stdout.write(
    `strangler ÷ bare http-proxy, round by round: ${paired.perRound.map((r) => `${r.toFixed(2)}×`).join(' ')} (ratio of the medians above: ${(strangler.rps / bare.rps).toFixed(2)}×)\n`,
  );
  process.stdout.write(
    `budget: strangler ≥ 1.3× bare http-proxy throughput → ${ratio.toFixed(2)}× (median of the round-by-round ratios) ${ratio >= 1.3 ? 'met' : 'MISSED'}\n`,
  );
  const engine = rows.find((r) => r.target.name === 'undici engine alone');
  if (strangler.cpu !== null && engine?.cpu) {
    const cpuRatio = strangler.cpu / engine.cpu;
    process.stdout.write(
      `budget: strangler CPU per request ≤ 1.4× the undici engine alone → ${Math.round(strangler.cpu)} ÷ ${Math.round(engine.cpu)} µs = ${cpuRatio.toFixed(2)}× ${cpuRatio <= 1.4 ? 'met' : 'MISSED'}\n`,
    );
  }
  process.stdout.write(
    `strangler p99 − direct p99, round by round: ${addedLatency.perRound.map((d) => `${d >= 0 ? '+' : ''}${fmt(d)}`).join(' ')} ms\n`,
  );
  process.stdout.write(
    `target: strangler p99 ≤ direct + 2 ms at ${RATE} req/s → ${added >= 0 ? '+' : ''}${fmt(added)} ms (median of the round-by-round differences) ${added <= 2 ? 'met' : 'MISSED'}\n`,
  );
  if (added > 2 && added - 2 < longestStall) {
    process.stdout.write(
      `  note: this machine itself stalls a CPU for up to ${fmt(longestStall)} ms (above), and a proxied request waits for every CPU on its path: a miss of this size may be the machine's\n`,
    );
  }
  process.stdout.write(
    `machine load average during the run: ${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')} (numbers are only comparable within one run)\n`,
  );
}

function stopChildren(): void {
  for (const child of children) child.kill('SIGTERM');
}

// Ctrl-C or a kill stops the servers this run started, not only the run.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    process.stderr.write(`bench:proxy: ${signal}, stopping the servers it started\n`);
    stopChildren();
    process.exit(signal === 'SIGINT' ? 130 : 143);
  });
}

main()
  .catch((error) => {
    process.stderr.write(`bench failed: ${(error as Error).stack}\n`);
    process.exitCode = 1;
  })
  .finally(stopChildren);
