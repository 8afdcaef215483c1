import type { Delivery, Outcome } from '../src/broker/broker';
import { DEFAULT_RETRY, type RetryPolicy } from '../src/retry-policy';
import { describeEachBroker } from './support/brokers';
import { asMessage, testEvent } from './support/events';
import { sleep, waitUntil } from './support/wait';

const fastRetry: RetryPolicy = { deliveryLimit: 3, firstDelayMs: 50, maxDelayMs: 200 };

function subscription(name: string, topics: string[], retry: RetryPolicy = fastRetry) {
  return { name, topics, retry, prefetch: 8 };
}

describeEachBroker('broker', (brokerCase) => {
  test('routes by topic: each subscriber gets a copy of what its patterns match', async () => {
    const broker = await brokerCase().open();
    const orders: string[] = [];
    const everything: string[] = [];
    const ack = async (): Promise<Outcome> => ({ kind: 'ack' });
    await broker.subscribe(subscription('orders', ['warehouse.order.*']), async (d) => {
      orders.push(d.routingKey);
      return ack();
    });
    await broker.subscribe(subscription('all', ['#']), async (d) => {
      everything.push(d.routingKey);
      return ack();
    });
    await broker.publish(
      [
        testEvent('warehouse.order.placed', 1),
        testEvent('warehouse.order.line.added', 2),
        testEvent('customer.created', 3),
      ].map(asMessage),
    );
    await waitUntil(() => everything.length === 3 && orders.length === 1, 'three deliveries');
    expect(orders).toEqual(['warehouse.order.placed']);
    expect(everything.sort()).toEqual([
      'customer.created',
      'warehouse.order.line.added',
      'warehouse.order.placed',
    ]);
  });

  test('when no consumer runs, then a declared subscriber keeps its messages and gets them later', async () => {
    const broker = await brokerCase().open();
    await broker.declare(subscription('late', ['thing.#']));
    await broker.publish([1, 2, 3].map((n) => asMessage(testEvent('thing.made', n))));
    const seen: string[] = [];
    await broker.subscribe(subscription('late', ['thing.#']), async (d) => {
      seen.push(d.eventId);
      return { kind: 'ack' };
    });
    await waitUntil(() => seen.length === 3, 'the waiting messages');
  });

  test('when consumers of one subscriber compete, then they share the messages, each handled once', async () => {
    const broker = await brokerCase().open();
    const other = await brokerCase().open();
    const byConsumer = { a: 0, b: 0 };
    const ids = new Set<string>();
    const slow =
      (who: 'a' | 'b') =>
      async (d: Delivery): Promise<Outcome> => {
        byConsumer[who] += 1;
        ids.add(d.eventId);
        await sleep(5);
        return { kind: 'ack' };
      };
    await broker.subscribe(subscription('workers', ['job.#']), slow('a'));
    await other.subscribe(subscription('workers', ['job.#']), slow('b'));
    await broker.publish(
      Array.from({ length: 60 }, (_, n) => asMessage(testEvent('job.queued', n))),
    );
    await waitUntil(() => ids.size === 60, 'all 60 jobs');
    await sleep(100);
    expect(byConsumer.a + byConsumer.b).toBe(60);
    expect(byConsumer.a).toBeGreaterThan(0);
    expect(byConsumer.b).toBeGreaterThan(0);
  });

  test('when a delivery fails, then it is retried after a backoff, and succeeds', async () => {
    const broker = await brokerCase().open();
    const attempts: { attempt: number; at: number }[] = [];
    await broker.subscribe(subscription('flaky', ['thing.#']), async (d) => {
      attempts.push({ attempt: d.attempt, at: Date.now() });
      return d.attempt < 3 ? { kind: 'retry', error: 'downstream unavailable' } : { kind: 'ack' };
    });
    await broker.publish([asMessage(testEvent('thing.made', 1))]);
    await waitUntil(() => attempts.length === 3, 'three attempts');
    expect(attempts.map((a) => a.attempt)).toEqual([1, 2, 3]);
    // 50 ms, then 100 ms (doubling), give or take the consumer's polling.
    expect(attempts[1].at - attempts[0].at).toBeGreaterThanOrEqual(45);
    expect(attempts[2].at - attempts[1].at).toBeGreaterThanOrEqual(95);
    await sleep(300);
    expect(attempts).toHaveLength(3);
    expect(await broker.deadLetters.list()).toEqual([]);
  });

  test('when a message reaches the delivery limit, then it is dead-lettered with its last error, and others keep flowing', async () => {
    const broker = await brokerCase().open();
    const good: number[] = [];
    let poisonAttempts = 0;
    await broker.subscribe(subscription('pump', ['thing.#']), async (d) => {
      const event = JSON.parse(d.body);
      if (event.data.poison) {
        poisonAttempts += 1;
        return { kind: 'retry', error: 'unique constraint failed: report_orders.order_id' };
      }
      good.push(event.data.n);
      return { kind: 'ack' };
    });
    const poison = testEvent('thing.made', 0, { poison: true });
    await broker.publish(
      [poison, ...[1, 2, 3, 4, 5].map((n) => testEvent('thing.made', n))].map(asMessage),
    );
    await waitUntil(async () => (await broker.deadLetters.list()).length === 1, 'the dead letter');
    expect(good.sort()).toEqual([1, 2, 3, 4, 5]);
    expect(poisonAttempts).toBe(3);
    const [letter] = await broker.deadLetters.list();
    expect(letter).toMatchObject({
      subscriber: 'pump',
      eventId: poison.id,
      routingKey: 'thing.made',
      deliveries: 3,
    });
    expect(letter.reason).toMatch(/failed 3 of 3 deliveries; last error: unique constraint failed/);
    expect(JSON.parse(letter.body).id).toBe(poison.id);
  });

  test('when a dead letter is replayed, then it is delivered again with a fresh count; when dropped, then it is gone', async () => {
    const broker = await brokerCase().open();
    let healthy = false;
    const handled: string[] = [];
    await broker.subscribe(subscription('replayed', ['thing.#']), async (d) => {
      if (!healthy) return { kind: 'dead-letter', reason: 'consumer bug' };
      handled.push(`${d.eventId}@${d.attempt}`);
      return { kind: 'ack' };
    });
    const [first, second] = [testEvent('thing.made', 1), testEvent('thing.made', 2)];
    await broker.publish([first, second].map(asMessage));
    await waitUntil(async () => (await broker.deadLetters.list()).length === 2, 'two dead letters');
    const letters = await broker.deadLetters.list({ subscriber: 'replayed' });
    expect(letters.map((l) => l.reason)).toEqual(['consumer bug', 'consumer bug']);
    healthy = true;
    const firstLetter = letters.find((l) => l.eventId === first.id)!;
    const secondLetter = letters.find((l) => l.eventId === second.id)!;
    expect(await broker.deadLetters.replay([firstLetter.id])).toBe(1);
    await waitUntil(() => handled.length === 1, 'the replayed event');
    expect(handled).toEqual([`${first.id}@1`]);
    expect(await broker.deadLetters.drop([secondLetter.id])).toBe(1);
    expect(await broker.deadLetters.list()).toEqual([]);
    expect(await broker.deadLetters.drop(['no-such-id'])).toBe(0);
  });

  test('when deliveries are unlimited, then a failing message is retried and never dead-lettered', async () => {
    const broker = await brokerCase().open();
    let attempts = 0;
    const retry = {
      ...DEFAULT_RETRY,
      deliveryLimit: 'unlimited' as const,
      firstDelayMs: 10,
      maxDelayMs: 20,
    };
    await broker.subscribe(subscription('stubborn', ['thing.#'], retry), async () => {
      attempts += 1;
      return { kind: 'retry', error: 'still failing' };
    });
    await broker.publish([asMessage(testEvent('thing.made', 1))]);
    await waitUntil(() => attempts >= 8, 'eight attempts');
    expect(await broker.deadLetters.list()).toEqual([]);
  });
});
