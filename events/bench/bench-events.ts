// npm run bench:events [-- --events 5000 --producers 8]
// End-to-end events/s and commit-to-consumer latency through the transactional outbox, against
// publishing straight after the commit with the same client and publisher confirms, in one run,
// on RabbitMQ (when reachable) and on the embedded broker.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { connect } from 'amqplib';
import type { Knex } from 'knex';
import { openDatabase } from '../../common/src/database';
import type { Broker } from '../src/broker/broker';
import { openBroker } from '../src/broker/open-broker';
import { rabbitNames } from '../src/broker/rabbitmq/rabbit-topology';
import { type BrokerTarget, parseBrokerUrl } from '../src/config';
import { createEvent } from '../src/envelope';
import { writeToOutbox } from '../src/outbox/outbox';
import { createOutboxTable } from '../src/outbox/outbox-schema';
import { startRelay } from '../src/outbox/relay';
import { DEFAULT_RETRY } from '../src/retry-policy';

const RABBIT_URL = process.env.RABBITMQ_URL ?? 'amqp://guest:guest@127.0.0.1:5672';

function option(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  const value = at > 0 ? Number(process.argv[at + 1]) : fallback;
  if (!Number.isInteger(value) || value < 1) {
    process.stderr.write(`--${name} must be a positive integer (got "${process.argv[at + 1]}")\n`);
    process.exit(2);
  }
  return value;
}

interface Result {
  broker: string;
  path: 'raw' | 'outbox';
  eventsPerSecond: number;
  p50: number;
  p99: number;
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))];

async function openApp(dir: string, label: string): Promise<Knex> {
  const db = openDatabase({ engine: 'sqlite', location: path.join(dir, `${label}.sqlite`) });
  await createOutboxTable(db);
  await db.schema.createTable('orders', (t) => {
    t.increments('id');
    t.string('note', 50);
  });
  return db;
}

/** One run: `producers` loops each commit a business row (and, on the outbox path, its event). */
async function run(
  target: BrokerTarget,
  label: string,
  mode: 'raw' | 'outbox',
  total: number,
  producers: number,
  dir: string,
  round: number,
): Promise<Result> {
  const db = await openApp(dir, `${label}-${mode}-${round}`);
  const broker: Broker = await openBroker(target, { pollMs: 10 });
  const committedAt = new Map<string, number>();
  const latencies: number[] = [];
  let done!: () => void;
  const finished = new Promise<void>((resolve) => (done = resolve));
  const name = `bench-${mode}`;
  const subscription = await broker.subscribe(
    { name, topics: ['bench.#'], retry: DEFAULT_RETRY, prefetch: 100 },
    async (delivery) => {
      const committed = committedAt.get(delivery.eventId);
      if (committed !== undefined && latencies.length < total) {
        latencies.push(performance.now() - committed);
        if (latencies.length === total) done();
      }
      return { kind: 'ack' };
    },
  );
  const relay =
    mode === 'outbox' ? startRelay({ db, broker, batchSize: 500, pollMs: 20 }) : undefined;
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: producers }, async () => {
      while (next < total) {
        const n = next++;
        const event = createEvent({
          type: 'bench.order.placed',
          source: 'bench',
          entity: { type: 'order', id: n, link: `/orders/${n}` },
          data: { n },
        });
        await db.transaction(async (trx) => {
          await trx('orders').insert({ note: `order ${n}` });
          if (mode === 'outbox') await writeToOutbox(trx, event);
        });
        committedAt.set(event.id, performance.now());
        if (mode === 'raw')
          await broker.publish([
            { eventId: event.id, routingKey: event.type, body: JSON.stringify(event) },
          ]);
        // Requests reach a server through the event loop; without this the synchronous SQLite
        // driver's promise chain would keep the loop from reading the broker's socket at all.
        await new Promise((resolve) => setImmediate(resolve));
      }
    }),
  );
  const timeout = setTimeout(() => done(), 120_000);
  await finished;
  clearTimeout(timeout);
  const seconds = (performance.now() - started) / 1000;
  await relay?.stop();
  await subscription.close();
  await broker.close();
  await db.destroy();
  if (latencies.length < total)
    throw new Error(
      `${label} ${mode}: only ${latencies.length} of ${total} events arrived within 120 s`,
    );
  const sorted = latencies.sort((a, b) => a - b);
  return {
    broker: label,
    path: mode,
    eventsPerSecond: total / seconds,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
  };
}

async function rabbitReachable(): Promise<string | null> {
  try {
    await (await connect(RABBIT_URL, { timeout: 2000 })).close();
    return null;
  } catch (error) {
    return (error as Error).message;
  }
}

async function deleteRabbitTopology(exchange: string): Promise<void> {
  const names = rabbitNames(exchange);
  const connection = await connect(RABBIT_URL);
  const channel = await connection.createChannel();
  for (const queue of ['bench-raw', 'bench-outbox'])
    await channel.deleteQueue(names.queueOf(queue));
  await channel.deleteQueue(names.deadLetterQueue);
  await channel.deleteExchange(names.exchange);
  await channel.deleteExchange(names.deadLetterExchange);
  await connection.close();
}

async function main(): Promise<void> {
  const total = option('events', 5000);
  const producers = option('producers', 8);
  const rounds = option('rounds', 3);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'strangler-bench-events-'));
  const exchange = `bench.${randomBytes(4).toString('hex')}`;
  const targets: [string, BrokerTarget][] = [
    ['embedded', parseBrokerUrl(`sqlite:${path.join(dir, 'broker.sqlite')}`)],
  ];
  const rabbitDown = await rabbitReachable();
  if (rabbitDown)
    process.stdout.write(
      `RabbitMQ not measured: unreachable at ${RABBIT_URL.replace(/\/\/[^@]*@/, '//***@')} (${rabbitDown})\n`,
    );
  else targets.unshift(['rabbitmq', parseBrokerUrl(RABBIT_URL, exchange)]);
  process.stdout.write(
    `bench:events: ${total.toLocaleString('en-US')} events per run, ${producers} concurrent producers (one SQLite transaction per event), ${rounds} rounds, raw and outbox alternating; median of rounds\n`,
  );
  const results: Result[] = [];
  try {
    for (const [label, target] of targets)
      for (let round = 1; round <= rounds; round++)
        for (const mode of round % 2
          ? (['raw', 'outbox'] as const)
          : (['outbox', 'raw'] as const)) {
          const result = await run(target, label, mode, total, producers, dir, round);
          results.push(result);
          process.stdout.write(
            `  round ${round} ${label.padEnd(8)} ${mode.padEnd(6)} ${Math.round(result.eventsPerSecond).toLocaleString('en-US').padStart(7)} events/s  p50 ${result.p50.toFixed(1)} ms  p99 ${result.p99.toFixed(1)} ms\n`,
          );
        }
  } finally {
    if (!rabbitDown) await deleteRabbitTopology(exchange).catch(() => undefined);
    fs.rmSync(dir, { recursive: true, force: true });
  }
  const median = (values: number[]) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)];
  process.stdout.write('\nbroker    path    events/s   p50 ms   p99 ms   outbox / raw\n');
  for (const [label] of targets) {
    const of = (mode: 'raw' | 'outbox') => {
      const mine = results.filter((r) => r.broker === label && r.path === mode);
      return {
        eps: median(mine.map((r) => r.eventsPerSecond)),
        p50: median(mine.map((r) => r.p50)),
        p99: median(mine.map((r) => r.p99)),
      };
    };
    const raw = of('raw');
    const outbox = of('outbox');
    for (const [mode, r] of [
      ['raw', raw],
      ['outbox', outbox],
    ] as const)
      process.stdout.write(
        `${label.padEnd(9)} ${mode.padEnd(7)} ${Math.round(r.eps).toLocaleString('en-US').padStart(8)} ${r.p50.toFixed(1).padStart(8)} ${r.p99.toFixed(1).padStart(8)}${mode === 'outbox' ? `   ${(outbox.eps / raw.eps).toFixed(2)}×${label === 'rabbitmq' ? ` (goal ≥ 0.5×: ${outbox.eps / raw.eps >= 0.5 ? 'met' : 'missed'})` : ''}` : ''}\n`,
      );
  }
}

main().catch((error) => {
  process.stderr.write(`bench:events failed: ${(error as Error).stack}\n`);
  process.exit(1);
});
