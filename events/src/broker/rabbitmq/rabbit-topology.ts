import type { Channel } from 'amqplib';

/** Names of everything the kit declares on RabbitMQ, derived from one exchange name. */
export interface RabbitNames {
  exchange: string;
  deadLetterExchange: string;
  deadLetterQueue: string;
  queueOf(subscriber: string): string;
  retryQueueOf(subscriber: string, delayMs: number): string;
  subscriberOfQueue(queue: string): string;
}

export function rabbitNames(exchange: string): RabbitNames {
  return {
    exchange,
    deadLetterExchange: `${exchange}.dlx`,
    deadLetterQueue: `${exchange}.dead-letters`,
    queueOf: (subscriber) => `${exchange}.${subscriber}`,
    retryQueueOf: (subscriber, delayMs) => `${exchange}.${subscriber}.retry.${delayMs}`,
    subscriberOfQueue: (queue) =>
      queue.startsWith(`${exchange}.`) ? queue.slice(exchange.length + 1) : queue,
  };
}

/** The topic exchange events are published to, and the dead-letter exchange and queue. */
export async function assertExchanges(channel: Channel, names: RabbitNames): Promise<void> {
  await channel.assertExchange(names.exchange, 'topic', { durable: true });
  await channel.assertExchange(names.deadLetterExchange, 'fanout', { durable: true });
  await channel.assertQueue(names.deadLetterQueue, {
    durable: true,
    arguments: { 'x-queue-type': 'classic' },
  });
  await channel.bindQueue(names.deadLetterQueue, names.deadLetterExchange, '');
}

/**
 * One durable quorum queue per subscriber, bound to its topics. Quorum queues count deliveries
 * (x-delivery-count, crashes included); the consumer enforces the limit before its handler runs,
 * so a changed limit needs no queue migration. Dead letters keep at-least-once semantics.
 */
export async function assertSubscriberQueue(
  channel: Channel,
  names: RabbitNames,
  subscriber: string,
  topics: string[],
): Promise<string> {
  const queue = names.queueOf(subscriber);
  await channel.assertQueue(queue, {
    durable: true,
    arguments: {
      'x-queue-type': 'quorum',
      'x-dead-letter-exchange': names.deadLetterExchange,
      'x-dead-letter-strategy': 'at-least-once',
      'x-overflow': 'reject-publish',
    },
  });
  for (const topic of topics) await channel.bindQueue(queue, names.exchange, topic);
  return queue;
}

/**
 * A delay queue per subscriber and delay: a retried message waits there for its TTL, then
 * RabbitMQ dead-letters it straight back to the subscriber's queue (and nowhere else).
 */
export async function assertRetryQueue(
  channel: Channel,
  names: RabbitNames,
  subscriber: string,
  delayMs: number,
): Promise<string> {
  const queue = names.retryQueueOf(subscriber, delayMs);
  await channel.assertQueue(queue, {
    durable: true,
    arguments: {
      'x-queue-type': 'classic',
      'x-message-ttl': delayMs,
      'x-dead-letter-exchange': '',
      'x-dead-letter-routing-key': names.queueOf(subscriber),
    },
  });
  return queue;
}
