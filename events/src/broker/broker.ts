import type { RetryPolicy } from '../retry-policy';

/** One message for the broker: an event's JSON body, routed by its type. */
export interface OutgoingMessage {
  eventId: string;
  routingKey: string;
  body: string;
}

/** One delivery of a message to one subscriber. */
export interface Delivery {
  eventId: string;
  routingKey: string;
  body: string;
  subscriber: string;
  /** 1 on the first delivery; counts failed handling and crashes alike. */
  attempt: number;
}

export type Outcome =
  | { kind: 'ack' }
  | { kind: 'retry'; error: string }
  | { kind: 'dead-letter'; reason: string };

export interface SubscribeOptions {
  /** The subscriber's durable name: its queue, and its inbox key. */
  name: string;
  /** Topic patterns (`warehouse.order.*`, `#`). */
  topics: string[];
  retry: RetryPolicy;
  /** Deliveries handled at once (competing consumers each get their own). */
  prefetch: number;
}

/** What a broker tells its subscription owner (metrics, logs). */
export interface SubscriptionEvents {
  onRetry?(delivery: Delivery, delayMs: number, error: string): void;
  onDeadLetter?(delivery: Delivery, reason: string): void;
  onError?(error: Error): void;
}

export interface Subscription {
  /** Stops taking deliveries and waits for the ones in hand. */
  close(): Promise<void>;
}

export interface DeadLetter {
  /** The handle `events dlq show|replay|drop` take. */
  id: string;
  subscriber: string;
  eventId: string;
  routingKey: string;
  body: string;
  reason: string;
  deliveries: number;
  deadAt: string;
}

export interface DeadLetterQueue {
  list(filter?: { subscriber?: string; limit?: number }): Promise<DeadLetter[]>;
  /** Puts dead letters back on their subscriber's queue, with a fresh delivery count. */
  replay(ids: string[]): Promise<number>;
  drop(ids: string[]): Promise<number>;
}

/**
 * A message broker as the kit uses it: publish with confirmation, durable subscriptions
 * with a retry policy and a dead-letter queue. Two implementations: embedded (queues in a
 * database) and RabbitMQ.
 */
export interface Broker {
  readonly kind: 'embedded' | 'rabbitmq';
  /** Where it is, with any password hidden. */
  readonly where: string;
  /** Resolves once the broker has durably accepted every message (publisher confirms). */
  publish(messages: OutgoingMessage[]): Promise<void>;
  /** Declares the subscriber's durable queue and bindings (idempotent), without consuming. */
  declare(options: SubscribeOptions): Promise<void>;
  subscribe(
    options: SubscribeOptions,
    handle: (delivery: Delivery) => Promise<Outcome>,
    events?: SubscriptionEvents,
  ): Promise<Subscription>;
  readonly deadLetters: DeadLetterQueue;
  close(): Promise<void>;
}
