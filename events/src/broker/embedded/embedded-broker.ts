import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { Logger } from 'pino';
import { type DatabaseTarget, openDatabase, redactUrl } from '../../../../common/src/database';
import { silentLogger } from '../../../../common/src/logger';
import { interruptiblePause } from '../../interruptible-pause';
import { decideAfterFailure, isOverLimit, overLimitReason } from '../../retry-policy';
import type {
  Broker,
  Delivery,
  Outcome,
  SubscribeOptions,
  Subscription,
  SubscriptionEvents,
} from '../broker';
import { migrateBroker } from './broker-schema';
import { embeddedDeadLetters } from './embedded-dead-letters';
import { EmbeddedQueue, type MessageRow } from './embedded-queue';

export interface EmbeddedBrokerOptions {
  /**
   * How often a consumer looks for messages published by other processes (default 50 ms); an
   * idle one backs off to 10× that, and is back at the base rate on the first message.
   */
  pollMs?: number;
  /** How long a delivery is leased before another consumer may take it (default 30 s; renewed while handled). */
  leaseMs?: number;
  logger?: Logger;
}

// Consumers of a broker in this process wake at once when it publishes; other processes poll.
const published = new EventEmitter();
published.setMaxListeners(0);

/**
 * The broker that needs no server: queues are tables in a database (SQLite by default,
 * PostgreSQL too). Competing consumers lease messages; an unacked lease expires and the
 * message is delivered again; failures wait out a backoff; past the delivery limit a message
 * moves to the dead letters.
 *
 * @example const broker = await openEmbeddedBroker({ engine: 'sqlite', location: 'data/event-broker.sqlite' });
 */
export async function openEmbeddedBroker(
  target: DatabaseTarget,
  options: EmbeddedBrokerOptions = {},
): Promise<Broker> {
  const db = openDatabase(target, { pool: 4 });
  try {
    await migrateBroker(db);
  } catch (error) {
    await db.destroy();
    throw error;
  }
  const queue = new EmbeddedQueue(db);
  const signal = `publish:${target.location}`;
  const notify = () => published.emit(signal);
  const subscriptions = new Set<Subscription>();
  const where =
    target.engine === 'postgres'
      ? `embedded broker in ${redactUrl(target.location)}`
      : `embedded broker in ${target.location}`;

  const broker: Broker = {
    kind: 'embedded',
    where,
    async publish(messages) {
      if (messages.length === 0) return;
      await queue.publish(messages);
      notify();
    },
    async declare(subscription) {
      const limit = subscription.retry.deliveryLimit;
      await queue.declare(
        subscription.name,
        subscription.topics,
        limit === 'unlimited' ? null : limit,
      );
    },
    async subscribe(subscription, handle, events = {}) {
      await broker.declare(subscription);
      const consumer = startEmbeddedConsumer(queue, subscription, handle, events, {
        pollMs: options.pollMs ?? 50,
        leaseMs: options.leaseMs ?? 30_000,
        logger: options.logger ?? silentLogger(),
        signal,
      });
      subscriptions.add(consumer);
      return {
        async close() {
          subscriptions.delete(consumer);
          await consumer.close();
        },
      };
    },
    deadLetters: embeddedDeadLetters(db, notify),
    async close() {
      await Promise.all([...subscriptions].map((s) => s.close()));
      await db.destroy();
    },
  };
  return broker;
}

function startEmbeddedConsumer(
  queue: EmbeddedQueue,
  subscription: SubscribeOptions,
  handle: (delivery: Delivery) => Promise<Outcome>,
  events: SubscriptionEvents,
  settings: { pollMs: number; leaseMs: number; logger: Logger; signal: string },
): Subscription {
  const owner = randomUUID();
  const inFlight = new Map<number, Promise<void>>();
  let running = true;
  const { pause, wake } = interruptiblePause();
  // The soonest retry this consumer scheduled: an idle consumer wakes for it, not a poll later.
  let retryDue = Number.POSITIVE_INFINITY;
  const onPublish = () => wake();
  published.on(settings.signal, onPublish);
  const renewal = setInterval(
    () => {
      queue
        .renew([...inFlight.keys()], owner, settings.leaseMs)
        .catch((error: Error) => events.onError?.(error));
    },
    Math.max(100, settings.leaseMs / 3),
  );
  renewal.unref();

  async function settle(row: MessageRow, delivery: Delivery, outcome: Outcome): Promise<void> {
    if (outcome.kind === 'ack') return queue.ack(row.id, owner);
    if (outcome.kind === 'dead-letter') {
      if (await queue.deadLetter(row, owner, outcome.reason))
        events.onDeadLetter?.(delivery, outcome.reason);
      return;
    }
    const next = decideAfterFailure(subscription.retry, delivery.attempt, outcome.error);
    if (next.kind === 'dead-letter') {
      if (await queue.deadLetter(row, owner, next.reason))
        events.onDeadLetter?.(delivery, next.reason);
      return;
    }
    await queue.retryLater(row.id, owner, next.delayMs, outcome.error);
    retryDue = Math.min(retryDue, Date.now() + next.delayMs);
    events.onRetry?.(delivery, next.delayMs, outcome.error);
  }

  async function process(row: MessageRow): Promise<void> {
    const delivery: Delivery = {
      eventId: row.event_id,
      routingKey: row.routing_key,
      body: row.body,
      subscriber: row.subscriber,
      attempt: row.deliveries,
    };
    if (isOverLimit(subscription.retry, delivery.attempt)) {
      const reason = overLimitReason(subscription.retry, delivery.attempt, row.last_error);
      if (await queue.deadLetter(row, owner, reason)) events.onDeadLetter?.(delivery, reason);
      return;
    }
    let outcome: Outcome;
    try {
      outcome = await handle(delivery);
    } catch (error) {
      outcome = { kind: 'retry', error: (error as Error).message };
    }
    await settle(row, delivery, outcome);
  }

  async function run(): Promise<void> {
    let failures = 0;
    let idleMs = 0;
    while (running) {
      const free = subscription.prefetch - inFlight.size;
      if (free <= 0) {
        await Promise.race(inFlight.values());
        continue;
      }
      let rows: MessageRow[];
      try {
        rows = await queue.claim(subscription.name, owner, free, settings.leaseMs);
        failures = 0;
      } catch (error) {
        failures += 1;
        events.onError?.(error as Error);
        settings.logger.warn(
          { err: error, subscriber: subscription.name },
          'embedded broker: claim failed; retrying',
        );
        await pause(Math.min(5000, 100 * 2 ** Math.min(failures, 6)));
        continue;
      }
      for (const row of rows) {
        const work = process(row)
          .catch((error: Error) => {
            // The lease runs out and the message is delivered again: nothing is lost.
            events.onError?.(error);
            settings.logger.warn(
              { err: error, eventId: row.event_id },
              'embedded broker: settling a delivery failed',
            );
          })
          .finally(() => {
            inFlight.delete(row.id);
            wake();
          });
        inFlight.set(row.id, work);
      }
      // An idle stack then costs a few queries a second per consumer, not twenty.
      idleMs =
        rows.length === 0 ? Math.min(settings.pollMs * 10, idleMs * 2 || settings.pollMs) : 0;
      if (rows.length === 0) {
        const untilRetry = retryDue - Date.now();
        if (untilRetry <= idleMs) retryDue = Number.POSITIVE_INFINITY;
        await pause(Math.max(0, Math.min(idleMs, untilRetry)));
      }
    }
  }

  const loop = run();
  return {
    async close() {
      running = false;
      published.off(settings.signal, onPublish);
      wake();
      await loop;
      await Promise.all(inFlight.values());
      clearInterval(renewal);
    },
  };
}
