import { connect, type ChannelModel, type ConfirmChannel, type ConsumeMessage } from 'amqplib';
import type { Logger } from 'pino';
import { redactUrl } from '../../../../common/src/database';
import { silentLogger } from '../../../../common/src/logger';
import { EventsError } from '../../errors';
import { decideAfterFailure, isOverLimit, overLimitReason } from '../../retry-policy';
import type {
  Broker,
  Delivery,
  Outcome,
  SubscribeOptions,
  Subscription,
  SubscriptionEvents,
} from '../broker';
import { publishConfirmed } from './confirm-publish';
import { closeQuietly, rabbitDeadLetters } from './rabbit-dead-letters';
import {
  assertExchanges,
  assertRetryQueue,
  assertSubscriberQueue,
  type RabbitNames,
  rabbitNames,
} from './rabbit-topology';

export interface RabbitBrokerOptions {
  logger?: Logger;
  /** Connection attempts before opening fails (default 3); after that, reconnects never stop. */
  connectRetries?: number;
  /** AMQP heartbeat in seconds (default 10): how soon a silent dead connection is noticed. */
  heartbeatSeconds?: number;
}

interface Attachable extends Subscription {
  attach(model: ChannelModel): Promise<void>;
}

const int = (value: unknown) => (typeof value === 'number' ? value : Number(value ?? 0) || 0);

/**
 * RabbitMQ through amqplib: a durable topic exchange, one durable quorum queue per subscriber,
 * publisher confirms, retries through per-delay queues, and a dead-letter exchange and queue.
 * The connection recovers by itself; subscriptions re-attach after every reconnect.
 *
 * @example const broker = await openRabbitBroker('amqp://guest:guest@127.0.0.1:5672', 'strangler.events');
 */
export async function openRabbitBroker(
  url: string,
  exchange: string,
  options: RabbitBrokerOptions = {},
): Promise<Broker> {
  const logger = options.logger ?? silentLogger();
  const names = rabbitNames(exchange);
  const attached = new Set<Attachable>();
  let model: ChannelModel | undefined;
  let publisher: ConfirmChannel | undefined;
  let closing = false;

  const withHeartbeat = new URL(url);
  if (!withHeartbeat.searchParams.has('heartbeat'))
    withHeartbeat.searchParams.set('heartbeat', String(options.heartbeatSeconds ?? 10));
  const connection = await connect(withHeartbeat.toString(), {
    recovery: {
      initialDelay: 100,
      maxDelay: 2000,
      initialMaxRetries: options.connectRetries ?? 3,
      async setup(current: ChannelModel) {
        model = current;
        const channel = await current.createConfirmChannel();
        await assertExchanges(channel, names);
        channel.on('close', () => {
          if (publisher === channel) publisher = undefined;
        });
        channel.on('error', () => undefined);
        publisher = channel;
        for (const subscription of attached) await subscription.attach(current);
      },
    },
  });
  connection.on('disconnect', (error: Error) => {
    model = undefined;
    publisher = undefined;
    if (!closing) logger.warn({ err: error }, 'RabbitMQ connection lost; reconnecting');
  });
  connection.on('connect', () => logger.info({ url: redactUrl(url) }, 'RabbitMQ connected'));
  connection.on('error', () => undefined);

  async function openChannel(): Promise<ConfirmChannel> {
    if (!model) throw down();
    const channel = await model.createConfirmChannel();
    channel.on('error', () => undefined);
    return channel;
  }

  function down(): EventsError {
    return new EventsError(
      'ERR_EVENTS_PUBLISH_FAILED',
      `RabbitMQ at ${redactUrl(url)} is not connected (reconnecting); nothing was published, try again`,
    );
  }

  return {
    kind: 'rabbitmq',
    where: `RabbitMQ at ${redactUrl(url)} (exchange ${exchange})`,
    async publish(messages) {
      if (messages.length === 0) return;
      const channel = publisher;
      if (!channel) throw down();
      await publishConfirmed(
        channel,
        messages.map((message) => ({
          exchange,
          routingKey: message.routingKey,
          body: Buffer.from(message.body, 'utf8'),
          options: {
            persistent: true,
            messageId: message.eventId,
            contentType: 'application/json',
            type: message.routingKey,
          },
        })),
      );
    },
    async declare(subscription) {
      const channel = await openChannel();
      try {
        await assertSubscriberQueue(channel, names, subscription.name, subscription.topics);
      } finally {
        await closeQuietly(channel);
      }
    },
    async subscribe(subscription, handle, events = {}) {
      const consumer = createRabbitConsumer(names, subscription, handle, events, logger);
      attached.add(consumer);
      if (model) await consumer.attach(model);
      return {
        async close() {
          attached.delete(consumer);
          await consumer.close();
        },
      };
    },
    deadLetters: rabbitDeadLetters(openChannel, names),
    async close() {
      closing = true;
      await Promise.all([...attached].map((consumer) => consumer.close()));
      attached.clear();
      await connection.close().catch(() => undefined);
    },
  };
}

/** Publishes a received message again (durable, confirmed), with its properties and new headers. */
function republish(
  on: ConfirmChannel,
  message: ConsumeMessage,
  exchange: string,
  routingKey: string,
  headers: Record<string, unknown>,
): Promise<void> {
  return publishConfirmed(on, [
    {
      exchange,
      routingKey,
      body: message.content,
      options: { ...message.properties, persistent: true, headers },
    },
  ]);
}

function createRabbitConsumer(
  names: RabbitNames,
  subscription: SubscribeOptions,
  handle: (delivery: Delivery) => Promise<Outcome>,
  events: SubscriptionEvents,
  logger: Logger,
): Attachable {
  const inFlight = new Set<Promise<void>>();
  const retryQueues = new Set<string>();
  let channel: ConfirmChannel | undefined;
  let consumerTag: string | undefined;
  let closed = false;

  async function settle(
    on: ConfirmChannel,
    message: ConsumeMessage,
    delivery: Delivery,
    outcome: Outcome,
  ): Promise<void> {
    if (outcome.kind === 'ack') return on.ack(message);
    const next =
      outcome.kind === 'dead-letter'
        ? ({ kind: 'dead-letter', reason: outcome.reason } as const)
        : decideAfterFailure(subscription.retry, delivery.attempt, outcome.error);
    const headers = { ...(message.properties.headers ?? {}) };
    delete headers['x-death'];
    delete headers['x-delivery-count'];
    if (next.kind === 'dead-letter') {
      await republish(on, message, names.deadLetterExchange, delivery.routingKey, {
        ...headers,
        'x-subscriber': subscription.name,
        'x-dead-reason': next.reason.slice(0, 4000),
        'x-deliveries': delivery.attempt,
        'x-dead-at': new Date().toISOString(),
      });
      on.ack(message);
      events.onDeadLetter?.(delivery, next.reason);
      return;
    }
    const queue = names.retryQueueOf(subscription.name, next.delayMs);
    if (!retryQueues.has(queue)) {
      await assertRetryQueue(on, names, subscription.name, next.delayMs);
      retryQueues.add(queue);
    }
    const error = outcome.kind === 'retry' ? outcome.error : '';
    await republish(on, message, '', queue, {
      ...headers,
      'x-attempts': delivery.attempt,
      'x-last-error': error.slice(0, 2000),
    });
    on.ack(message);
    events.onRetry?.(delivery, next.delayMs, error);
  }

  async function receive(on: ConfirmChannel, message: ConsumeMessage): Promise<void> {
    const headers = message.properties.headers ?? {};
    const delivery: Delivery = {
      eventId: String(message.properties.messageId ?? ''),
      routingKey: String(message.properties.type ?? message.fields.routingKey),
      body: message.content.toString('utf8'),
      subscriber: subscription.name,
      // Handling failures travel in x-attempts; RabbitMQ counts redeliveries (crashes) itself.
      attempt: int(headers['x-attempts']) + int(headers['x-delivery-count']) + 1,
    };
    let outcome: Outcome;
    if (isOverLimit(subscription.retry, delivery.attempt))
      outcome = {
        kind: 'dead-letter',
        reason: overLimitReason(
          subscription.retry,
          delivery.attempt,
          headers['x-last-error'] as string,
        ),
      };
    else {
      try {
        outcome = await handle(delivery);
      } catch (error) {
        outcome = { kind: 'retry', error: (error as Error).message };
      }
    }
    try {
      await settle(on, message, delivery, outcome);
    } catch (error) {
      // The channel died (connection cut): RabbitMQ delivers the message again; the inbox absorbs it.
      events.onError?.(error as Error);
      logger.warn(
        { err: error, eventId: delivery.eventId },
        'RabbitMQ: settling a delivery failed; it will be redelivered',
      );
    }
  }

  return {
    async attach(model) {
      if (closed) return;
      retryQueues.clear();
      const on = await model.createConfirmChannel();
      on.on('error', () => undefined);
      await on.prefetch(subscription.prefetch);
      const queue = await assertSubscriberQueue(on, names, subscription.name, subscription.topics);
      channel = on;
      const reply = await on.consume(queue, (message) => {
        if (!message) return; // cancelled by the server (queue deleted)
        const work = receive(on, message).finally(() => inFlight.delete(work));
        inFlight.add(work);
      });
      consumerTag = reply.consumerTag;
    },
    async close() {
      closed = true;
      const on = channel;
      channel = undefined;
      if (on && consumerTag) await on.cancel(consumerTag).catch(() => undefined);
      await Promise.all(inFlight);
      if (on) await closeQuietly(on);
    },
  };
}
