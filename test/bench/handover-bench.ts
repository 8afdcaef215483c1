import { Command } from 'commander';
import { UsageError } from '../../common/src/cli';
import { readInteger } from '../../common/src/cli-options';
import type { Engine } from '../../common/src/database';
import { forEachReachableEngine } from '../../common/src/scratch-database';
import { ADMIN_TOKEN, startHandoverWorld } from '../support/handover-world';
import { handover } from '../../data-movement/src/handover/handover';
import { createProxyAdmin } from '../../data-movement/src/handover/proxy-admin';
import type { SyncResult } from '../../data-movement/src/sync';

interface Sent {
  at: number;
  ms: number;
  status: number;
}

const quantile = (values: number[], q: number) => {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
};
const stats = (values: number[]) =>
  `p50 ${quantile(values, 0.5).toFixed(0)} ms, p99 ${quantile(values, 0.99).toFixed(0)} ms, max ${Math.max(0, ...values).toFixed(0)} ms (n=${values.length})`;

/** Fires POST /catalog/artists at a fixed rate (open loop: a slow answer does not slow the load). */
function startLoad(url: string, rate: number) {
  const sent: Sent[] = [];
  const inflight = new Set<Promise<void>>();
  let n = 0;
  const fire = () => {
    const at = performance.now();
    const one = fetch(`${url}/catalog/artists`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: `bench ${n++}` }),
    })
      .then(async (res) => {
        await res.arrayBuffer();
        sent.push({ at, ms: performance.now() - at, status: res.status });
      })
      .catch(() => {
        sent.push({ at, ms: performance.now() - at, status: 0 });
      })
      .finally(() => inflight.delete(one));
    inflight.add(one);
  };
  const started = performance.now();
  let fired = 0;
  const timer = setInterval(() => {
    const due = Math.floor(((performance.now() - started) * rate) / 1000);
    for (; fired < due; fired += 1) fire();
  }, 2);
  return {
    sent,
    async stop() {
      clearInterval(timer);
      await Promise.all(inflight);
    },
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function benchEngine(engine: Engine, rate: number, seconds: number): Promise<void> {
  const lags: { at: number; result: SyncResult }[] = [];
  const world = await startHandoverWorld(engine, {
    artists: 200,
    onSync: (result) => lags.push({ at: performance.now(), result }),
  });
  try {
    const load = startLoad(world.proxy.url, rate);
    await sleep(1000); // warm-up, not measured
    const baselineFrom = performance.now();
    await sleep(seconds * 1000);
    const baselineTo = performance.now();
    let heldAt = 0;
    let releasedAt = 0;
    const handoverFrom = performance.now();
    const result = await handover(world.open, {
      to: 'catalog-service',
      admin: createProxyAdmin(world.proxy.adminUrl, ADMIN_TOKEN),
      holdMs: 10_000,
      log: (line) => {
        if (/^ {2}held /.test(line)) heldAt = performance.now();
        if (/^ {2}released /.test(line)) releasedAt = performance.now();
        process.stderr.write(`[${engine}] ${line}\n`);
      },
    });
    const handoverTo = performance.now();
    await sleep(seconds * 1000);
    const afterTo = performance.now();
    await load.stop();

    const within = (from: number, to: number) => load.sent.filter((s) => s.at >= from && s.at < to);
    const baseline = within(baselineFrom, baselineTo);
    // Requests sent from the hold until the release waited at the proxy: their latency is the write pause.
    const held = within(
      heldAt - (result.steps.find((s) => s.step === 'held')?.ms ?? 0),
      releasedAt,
    );
    const after = within(handoverTo, afterTo);
    const errors = load.sent.filter((s) => s.status < 200 || s.status >= 300);
    const lagIn = (from: number, to: number) => lags.filter((l) => l.at >= from && l.at < to);
    const lagLine = (label: string, from: number, to: number) => {
      const rounds = lagIn(from, to);
      return `  sync lag ${label}: pending p50 ${quantile(
        rounds.map((r) => r.result.pending),
        0.5,
      )}, max ${Math.max(0, ...rounds.map((r) => r.result.pending))} changes; oldest pending max ${Math.max(0, ...rounds.map((r) => r.result.oldestPendingSeconds)).toFixed(2)} s (${rounds.length} rounds)`;
    };
    const p99Baseline = quantile(
      baseline.map((s) => s.ms),
      0.99,
    );
    const p99Held = quantile(
      held.map((s) => s.ms),
      0.99,
    );
    process.stdout.write(
      [
        `[${engine}] ${rate} writes/s through the proxy (POST /catalog/artists), ${seconds}s per phase`,
        `  baseline write latency (no handover):  ${stats(baseline.map((s) => s.ms))}`,
        `  handover ${result.from} → ${result.to}: ${(handoverTo - handoverFrom).toFixed(0)} ms in all; ${result.steps.map((s) => `${s.step} ${s.ms}`).join(', ')} ms`,
        `  write pause (writes sent while held):  ${stats(held.map((s) => s.ms))}; p99 ${(p99Held / Math.max(1, p99Baseline)).toFixed(1)}× baseline p99 (goal: p99 ≤ 1000 ms)`,
        `  writes held at the proxy: ${held.length}; writes held for ${result.heldMs} ms`,
        `  write latency after the handover:      ${stats(after.map((s) => s.ms))}`,
        `  errors (non-2xx or no answer): ${errors.length} of ${load.sent.length}${errors.length ? ` (${[...new Set(errors.map((e) => e.status))].join(', ')})` : ''} (goal: 0)`,
        lagLine('before (monolith → catalog-service)', baselineFrom, baselineTo),
        lagLine('after (catalog-service → monolith)', handoverTo, afterTo),
        '',
      ].join('\n'),
    );
  } finally {
    await world.stop();
  }
}

async function main(): Promise<void> {
  const program = new Command('bench:handover')
    .option('--rate <n>', 'writes per second through the proxy', '200')
    .option('--seconds <n>', 'length of the baseline and of the after phase', '5')
    .option(
      '--engines <list>',
      'sqlite,postgres (postgres skipped with a reason when unreachable)',
      'sqlite,postgres',
    )
    .parse();
  const options = program.opts<{ rate: string; seconds: string; engines: string }>();
  const rate = readInteger(options.rate, {
    flag: '--rate',
    min: 1,
    max: 5000,
    example: '--rate 200',
  });
  const seconds = readInteger(options.seconds, {
    flag: '--seconds',
    min: 1,
    max: 600,
    example: '--seconds 5',
  });
  await forEachReachableEngine(options.engines, (engine) => benchEngine(engine, rate, seconds));
}

main().catch((error: Error) => {
  if (error instanceof UsageError) {
    process.stderr.write(`bench:handover: ${error.message}\n`);
    process.exitCode = 2;
    return;
  }
  process.stderr.write(`bench:handover failed: ${error.stack ?? error.message}\n`);
  process.exitCode = 1;
});
