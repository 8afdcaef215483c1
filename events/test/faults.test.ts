import { createEventsMetrics, type EventsMetrics } from '../src/metrics';
import type { Broker } from '../src/broker/broker';
import { type ConsumerOptions, startConsumer } from '../src/consumer/consumer';
import { openBroker } from '../src/broker/open-broker';
import { parseBrokerUrl } from '../src/config';
import { readOutboxStatus, writeToOutbox } from '../src/outbox/outbox';
import { startRelay } from '../src/outbox/relay';
import { type AppDatabase, createAppDatabase } from './support/app-database';
import { describeEachBroker } from './support/brokers';
import { effectHandlers } from './support/effects';
import { testEvent } from './support/events';
import { spawnChild } from './support/spawn-child';
import { TcpRelay } from './support/tcp-relay';
import { sleep, waitUntil } from './support/wait';
import { PG_ADMIN_URL } from '../../common/src/scratch-database';

const retry = { deliveryLimit: 10, firstDelayMs: 20, maxDelayMs: 100 };

async function writeEvents(
  app: AppDatabase,
  from: number,
  count: number,
  perTransaction = 50,
): Promise<void> {
  for (let i = from; i < from + count; i += perTransaction)
    await app.db.transaction((trx) =>
      writeToOutbox(
        trx,
        Array.from({ length: Math.min(perTransaction, from + count - i) }, (_, k) =>
          testEvent('thing.made', i + k),
        ),
      ),
    );
}

/** Every event once: n = from … from+count-1, each exactly one side effect. */
async function expectEachOnce(app: AppDatabase, count: number): Promise<void> {
  const effects = await app.effects();
  expect(effects).toHaveLength(count);
  expect(new Set(effects.map((e) => e.n)).size).toBe(count);
}

const counted = async (metrics: EventsMetrics, outcome: string) => {
  const text = await metrics.registry.getSingleMetricAsString('events_consumed_total');
  return Number(new RegExp(`outcome="${outcome}"} (\\d+)`).exec(text)?.[1] ?? 0);
};

/** The consumer of `thing.#` events, one side effect each; `options` override the defaults. */
const consumeEffects = (app: AppDatabase, broker: Broker, options: Partial<ConsumerOptions> = {}) =>
  startConsumer({
    name: 'effects',
    db: app.db,
    broker,
    topics: ['thing.#'],
    retry,
    handlers: effectHandlers(),
    ...options,
  });

/** Waits until the side effects number exactly `count`. */
const waitForEffects = (app: AppDatabase, count: number, what: string, timeoutMs: number) =>
  waitUntil(async () => (await app.effects()).length === count, what, timeoutMs);

describeEachBroker('faults', (brokerCase) => {
  let app: AppDatabase;
  beforeEach(async () => {
    app = await createAppDatabase(brokerCase().label);
  });
  afterEach(async () => app.close());

  const childEnv = () => ({ ...brokerCase().env, APP_DATABASE_URL: app.temp.url });

  test('when the relay is killed mid-batch (after the broker confirmed, before the outbox was marked), then nothing is lost and the inbox absorbs the duplicates', async () => {
    const broker = await brokerCase().open();
    const metrics = createEventsMetrics();
    await broker.declare({ name: 'effects', topics: ['thing.#'], retry, prefetch: 8 });
    await writeEvents(app, 0, 1000);
    const relay = spawnChild('relay', {
      ...childEnv(),
      RELAY_BATCH: '100',
      EVENTS_CRASH_AT: 'relay:after-publish:3',
    });
    const { signal } = await relay.exited;
    expect(signal).toBe('SIGKILL');
    // Two batches marked; the third was published but its rows are still pending.
    expect(await readOutboxStatus(app.db)).toMatchObject({ published: 200, pending: 800 });
    const restarted = startRelay({ db: app.db, broker, batchSize: 100, pollMs: 10 });
    await consumeEffects(app, broker, { metrics });
    await waitForEffects(app, 1000, 'all 1,000 events', 60000);
    await waitUntil(
      async () => (await counted(metrics, 'duplicate')) === 100,
      'the 100 duplicates',
      20000,
    );
    await restarted.stop();
    await expectEachOnce(app, 1000);
    expect(await readOutboxStatus(app.db)).toMatchObject({ pending: 0, published: 1000 });
  }, 120000);

  test('when a consumer is killed after its side effect and before its ack, then the event is redelivered with no double effect', async () => {
    const broker = await brokerCase().open();
    const metrics = createEventsMetrics();
    await broker.declare({ name: 'effects', topics: ['thing.#'], retry, prefetch: 8 });
    await writeEvents(app, 0, 200);
    const consumer = spawnChild('consumer', {
      ...childEnv(),
      EVENTS_CRASH_AT: 'consumer:after-commit:50',
    });
    await consumer.ready;
    const relay = startRelay({ db: app.db, broker, pollMs: 10 });
    const { signal } = await consumer.exited;
    expect(signal).toBe('SIGKILL');
    const before = (await app.effects()).length;
    expect(before).toBeGreaterThanOrEqual(50);
    await consumeEffects(app, broker, { metrics });
    await waitForEffects(app, 200, 'all 200 events', 60000);
    // At least the event whose ack the crash swallowed came back and was recognised.
    await waitUntil(
      async () => (await counted(metrics, 'duplicate')) >= 1,
      'the redelivery to be absorbed',
      40000,
    );
    await relay.stop();
    await expectEachOnce(app, 200);
  }, 120000);

  test('when a poison message is among 1,000 good ones, then it goes to the dead-letter queue and the 1,000 are each handled once', async () => {
    const broker = await brokerCase().open();
    await consumeEffects(app, broker, {
      retry: { deliveryLimit: 4, firstDelayMs: 20, maxDelayMs: 80 },
      prefetch: 16,
      handlers: effectHandlers((n) => n === 500),
    });
    const relay = startRelay({ db: app.db, broker, pollMs: 10 });
    await writeEvents(app, 0, 1001);
    await waitForEffects(app, 1000, 'the 1,000 good events', 60000);
    await waitUntil(
      async () => (await broker.deadLetters.list()).length === 1,
      'the poison message',
      20000,
    );
    await relay.stop();
    const effects = await app.effects();
    expect(effects.some((e) => e.n === 500)).toBe(false);
    expect(new Set(effects.map((e) => e.n)).size).toBe(1000);
    const [letter] = await broker.deadLetters.list();
    expect(JSON.parse(letter.body).data.n).toBe(500);
    expect(letter.reason).toBe('failed 4 of 4 deliveries; last error: thing 500 can never be made');
  }, 120000);
});

describeEachBroker(
  'broker connection cut and restored (a TCP relay between client and broker)',
  (brokerCase) => {
    let app: AppDatabase;
    let tcp: TcpRelay;
    beforeEach(async () => {
      app = await createAppDatabase('sqlite');
      const server =
        brokerCase().label === 'rabbitmq'
          ? new URL(brokerCase().env.EVENTS_BROKER_URL)
          : new URL(PG_ADMIN_URL);
      tcp = await new TcpRelay(
        '127.0.0.1',
        Number(server.port || (brokerCase().label === 'rabbitmq' ? 5672 : 5432)),
      ).start();
    });
    afterEach(async () => {
      await tcp.close();
      await app.close();
    });

    test('when the connection is cut and restored, then relay and consumer ride out the outage and every event arrives once', async () => {
      const direct = new URL(brokerCase().env.EVENTS_BROKER_URL);
      direct.host = `127.0.0.1:${tcp.port}`;
      // The case's own broker creates the queues (and cleans them up); these clients go through the relay.
      await (await brokerCase().open()).declare({
        name: 'effects',
        topics: ['thing.#'],
        retry,
        prefetch: 8,
      });
      const broker = await openBroker(
        parseBrokerUrl(direct.toString(), brokerCase().env.EVENTS_EXCHANGE),
        { pollMs: 10, heartbeatSeconds: 2 },
      );
      const metrics = createEventsMetrics();
      const consumer = await consumeEffects(app, broker, { metrics });
      const relay = startRelay({ db: app.db, broker, batchSize: 50, pollMs: 10 });
      await writeEvents(app, 0, 200);
      await waitUntil(
        async () => (await app.effects()).length >= 100,
        'traffic before the cut',
        30000,
      );
      tcp.cut();
      await writeEvents(app, 200, 200);
      await sleep(1500);
      expect((await readOutboxStatus(app.db)).pending).toBeGreaterThan(0);
      tcp.restore();
      await waitForEffects(app, 400, 'all 400 events after the restore', 60000);
      await relay.stop();
      await consumer.close();
      await broker.close();
      await expectEachOnce(app, 400);
      expect(await readOutboxStatus(app.db)).toMatchObject({ pending: 0 });
    }, 120000);
  },
  ['postgres', 'rabbitmq'],
);
