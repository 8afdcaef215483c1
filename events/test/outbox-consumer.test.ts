import { z } from 'zod';
import { createEventsMetrics } from '../src/metrics';
import { startConsumer } from '../src/consumer/consumer';
import { createEvent } from '../src/envelope';
import { PermanentEventError } from '../src/errors';
import { readOutboxStatus, writeToOutbox } from '../src/outbox/outbox';
import { startRelay } from '../src/outbox/relay';
import { type AppDatabase, createAppDatabase } from './support/app-database';
import { describeEachBroker } from './support/brokers';
import { asMessage, testEvent } from './support/events';
import { sleep, waitUntil } from './support/wait';

const retry = { deliveryLimit: 3, firstDelayMs: 20, maxDelayMs: 50 };

describeEachBroker('outbox, relay and idempotent consumer', (brokerCase) => {
  let app: AppDatabase;
  beforeEach(async () => {
    app = await createAppDatabase(brokerCase().label);
  });
  afterEach(async () => app.close());

  test('an event exists exactly when its transaction commits, and the relay publishes it once', async () => {
    const broker = await brokerCase().open();
    const seen: string[] = [];
    await broker.subscribe(
      { name: 'watcher', topics: ['thing.#'], retry, prefetch: 8 },
      async (d) => {
        seen.push(JSON.parse(d.body).data.n);
        return { kind: 'ack' };
      },
    );
    await app.db
      .transaction(async (trx) => {
        await writeToOutbox(trx, testEvent('thing.made', 1));
        throw new Error('the change failed');
      })
      .catch(() => undefined);
    await app.db.transaction((trx) => writeToOutbox(trx, testEvent('thing.made', 2)));
    expect(await readOutboxStatus(app.db)).toMatchObject({ pending: 1, published: 0 });
    const relay = startRelay({ db: app.db, broker, pollMs: 20 });
    await waitUntil(() => seen.length === 1, 'the committed event');
    await relay.stop();
    await sleep(100);
    expect(seen).toEqual([2]);
    expect(await readOutboxStatus(app.db)).toMatchObject({ pending: 0, published: 1 });
  });

  test('when the same event is delivered twice, then the consumer changes once (the inbox absorbs it)', async () => {
    const broker = await brokerCase().open();
    const metrics = createEventsMetrics();
    await startConsumer({
      name: 'counter',
      db: app.db,
      broker,
      topics: ['thing.#'],
      retry,
      metrics,
      handlers: {
        'thing.made': {
          handle: async (event, { trx }) => {
            await trx('effects').insert({ event_id: event.id, n: (event.data as { n: number }).n });
          },
        },
      },
    });
    const event = testEvent('thing.made', 7);
    await broker.publish([asMessage(event), asMessage(event)]);
    await broker.publish([asMessage(event)]);
    await waitUntil(
      async () =>
        (await metrics.registry.getSingleMetricAsString('events_consumed_total')).includes(
          'outcome="duplicate"} 2',
        ),
      'two duplicates',
    );
    expect(await app.effects()).toEqual([{ event_id: event.id, n: 7 }]);
  });

  test('when an event is not what the handler knows, then unknown fields are ignored, unknown types acknowledged, unknown versions and refused data dead-lettered with a reason', async () => {
    const broker = await brokerCase().open();
    await startConsumer({
      name: 'reader',
      db: app.db,
      broker,
      topics: ['thing.#'],
      retry,
      handlers: {
        'thing.made': {
          versions: [1],
          schema: z.object({ n: z.number().int() }),
          handle: async (event, { trx }) => {
            await trx('effects').insert({ event_id: event.id, n: event.data.n });
          },
        },
      },
    });
    const extra = { ...testEvent('thing.made', 1), addedLater: { nested: true } };
    const future = testEvent('thing.made', 2, {}, 2);
    const refused = testEvent('thing.made', 3, { n: 'three' });
    const other = testEvent('thing.painted', 4);
    await broker.publish([
      { eventId: extra.id, routingKey: extra.type, body: JSON.stringify(extra) },
      ...[future, refused, other].map(asMessage),
      { eventId: 'garbage', routingKey: 'thing.made', body: '{"not":"an event"}' },
    ]);
    await waitUntil(
      async () => (await broker.deadLetters.list()).length === 3,
      'three dead letters',
    );
    expect(await app.effects()).toEqual([{ event_id: extra.id, n: 1 }]);
    const reasons = Object.fromEntries(
      (await broker.deadLetters.list()).map((letter) => [letter.eventId, letter.reason]),
    );
    expect(reasons[future.id]).toBe(
      'unknown version 2 of thing.made: reader reads version 1; upgrade the consumer, then replay it',
    );
    expect(reasons[refused.id]).toMatch(/^thing\.made v1 refused: data\.n: /);
    expect(reasons.garbage).toMatch(/^not an event envelope: id: /);
  });

  test('when a handler fails, then it retries with backoff; when the error is permanent, then it dead-letters at once; nothing half-written stays', async () => {
    const broker = await brokerCase().open();
    let calls = 0;
    await startConsumer({
      name: 'careful',
      db: app.db,
      broker,
      topics: ['thing.#'],
      retry,
      handlers: {
        'thing.made': {
          handle: async (event, { trx }) => {
            calls += 1;
            await trx('effects').insert({ event_id: event.id, n: calls });
            if ((event.data as { n: number }).n === 1 && calls < 3) throw new Error('flaky');
            if ((event.data as { n: number }).n === 2)
              throw new PermanentEventError('order 2 has no lines');
          },
        },
      },
    });
    const [flaky, broken] = [testEvent('thing.made', 1), testEvent('thing.made', 2)];
    await broker.publish([asMessage(flaky)]);
    await waitUntil(async () => (await app.effects()).length === 1, 'the third attempt');
    await broker.publish([asMessage(broken)]);
    await waitUntil(async () => (await broker.deadLetters.list()).length === 1, 'the dead letter');
    expect(await app.effects()).toEqual([{ event_id: flaky.id, n: 3 }]);
    expect((await broker.deadLetters.list())[0]).toMatchObject({
      eventId: broken.id,
      reason: 'order 2 has no lines',
    });
  });

  test('when a handler emits events, then they carry the correlation ID and name their cause', async () => {
    const broker = await brokerCase().open();
    const chained: { correlationId: string; causationId: string }[] = [];
    await startConsumer({
      name: 'chainer',
      db: app.db,
      broker,
      topics: ['thing.made'],
      retry,
      handlers: {
        'thing.made': {
          handle: async (event, { emit }) =>
            emit({ type: 'thing.noticed', source: 'test', entity: event.entity, data: {} }),
        },
      },
    });
    await broker.subscribe(
      { name: 'listener', topics: ['thing.noticed'], retry, prefetch: 1 },
      async (d) => {
        chained.push(JSON.parse(d.body));
        return { kind: 'ack' };
      },
    );
    const relay = startRelay({ db: app.db, broker, pollMs: 20 });
    const cause = createEvent({
      type: 'thing.made',
      source: 'test',
      entity: { type: 't', id: 1, link: '/t/1' },
      data: {},
      correlationId: 'req-42',
    });
    await broker.publish([asMessage(cause)]);
    await waitUntil(() => chained.length === 1, 'the chained event');
    await relay.stop();
    expect(chained[0]).toMatchObject({ correlationId: 'req-42', causationId: cause.id });
  });
});

describeEachBroker(
  'a paused consumer (EVENTS_PAUSED_CONSUMERS)',
  (brokerCase) => {
    let app: AppDatabase;
    beforeEach(async () => {
      app = await createAppDatabase(brokerCase().label);
    });
    afterEach(async () => app.close());

    test('when it is down, then the publisher does not fail, its queue keeps the events, and it gets them all, once, when it returns', async () => {
      const broker = await brokerCase().open();
      const options = {
        name: 'welcome-email',
        db: app.db,
        broker,
        topics: ['customer.created'],
        retry,
        handlers: {
          'customer.created': {
            handle: async (
              event: { id: string; data: unknown },
              { trx }: { trx: import('knex').Knex.Transaction },
            ) => {
              await trx('effects').insert({
                event_id: event.id,
                n: (event.data as { n: number }).n,
              });
            },
          },
        },
      };
      const paused = await startConsumer({ ...options, paused: new Set(['welcome-email']) });
      await broker.publish([1, 2, 3].map((n) => asMessage(testEvent('customer.created', n))));
      await sleep(300);
      expect(await app.effects()).toEqual([]);
      await paused.close();
      const resumed = await startConsumer(options);
      await waitUntil(async () => (await app.effects()).length === 3, 'the three waiting events');
      await resumed.close();
    });
  },
  ['sqlite', 'rabbitmq'],
);
