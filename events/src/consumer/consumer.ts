import type { Knex } from 'knex';
import type { Logger } from 'pino';
import type { ZodType } from 'zod';
import { silentLogger } from '../../../common/src/logger';
import type { Broker, Delivery, Outcome, Subscription } from '../broker/broker';
import { createEvent, type EventEnvelope, type NewEvent, readEnvelope } from '../envelope';
import { PermanentEventError } from '../errors';
import { crashPoint } from '../failpoints';
import type { EventsMetrics } from '../metrics';
import { writeToOutbox } from '../outbox/outbox';
import { DEFAULT_RETRY, type RetryPolicy } from '../retry-policy';
import { enterInbox } from './inbox';

export interface HandlerContext {
  /** The consumer's own database transaction: the inbox row and the handler's writes commit together. */
  trx: Knex.Transaction;
  /** Bound to the event's correlation ID, id and type. */
  logger: Logger;
  attempt: number;
  /** Writes an event caused by this one to the consumer's own outbox, in this transaction. */
  emit(event: Omit<NewEvent, 'correlationId' | 'causationId'>): Promise<void>;
}

export interface EventHandler<D = unknown> {
  /** Versions of `data` this handler reads (default [1]); others are dead-lettered with a reason. */
  versions?: number[];
  /** Checks `data` (unknown fields pass); data it refuses would fail every time, so it is dead-lettered. */
  schema?: ZodType<D>;
  handle(event: EventEnvelope<D>, context: HandlerContext): Promise<void>;
}

export interface ConsumerOptions {
  /** Durable subscriber name: its queue and its inbox key (`reporting-pump`). */
  name: string;
  /** The consumer's own database, migrated with `createInboxTable`. */
  db: Knex;
  broker: Broker;
  topics: string[];
  /** By event type. Types without a handler are acknowledged and ignored. */
  // biome-ignore lint/suspicious/noExplicitAny: each handler narrows its own data type
  handlers: Record<string, EventHandler<any>>;
  retry?: Partial<RetryPolicy>;
  /** Deliveries handled at once (default 16). */
  prefetch?: number;
  logger?: Logger;
  metrics?: EventsMetrics;
}

export interface RunningConsumer {
  readonly name: string;
  close(): Promise<void>;
}

function describeIssue(error: { issues: { path: PropertyKey[]; message: string }[] }): string {
  const issue = error.issues[0];
  return `data.${issue.path.map(String).join('.')}: ${issue.message}`;
}

/**
 * Turns deliveries into handler calls, idempotently: the event is read tolerantly, its id goes
 * into the inbox in the handler's own transaction (a redelivery is acknowledged, not handled
 * again), and every outcome is an ack, a retry or a dead letter with a reason.
 */
export function createDeliveryHandler(
  options: ConsumerOptions,
): (delivery: Delivery) => Promise<Outcome> {
  const logger = options.logger ?? silentLogger();
  const count = (outcome: Parameters<EventsMetrics['countConsumed']>[1]) =>
    options.metrics?.countConsumed(options.name, outcome);

  return async (delivery) => {
    const read = readEnvelope(delivery.body);
    if (!read.ok) return { kind: 'dead-letter', reason: read.reason };
    const event = read.event;
    const handler = options.handlers[event.type];
    if (!handler) {
      count('ignored');
      return { kind: 'ack' };
    }
    const versions = handler.versions ?? [1];
    if (!versions.includes(event.version))
      return {
        kind: 'dead-letter',
        reason: `unknown version ${event.version} of ${event.type}: ${options.name} reads version ${versions.join(', ')}; upgrade the consumer, then replay it`,
      };
    let data = event.data;
    if (handler.schema) {
      const parsed = handler.schema.safeParse(event.data);
      if (!parsed.success)
        return {
          kind: 'dead-letter',
          reason: `${event.type} v${event.version} refused: ${describeIssue(parsed.error)}`,
        };
      data = parsed.data;
    }
    const log = logger.child({
      consumer: options.name,
      correlationId: event.correlationId,
      eventId: event.id,
      eventType: event.type,
    });
    const started = process.hrtime.bigint();
    try {
      const handled = await options.db.transaction(async (trx) => {
        if (!(await enterInbox(trx, options.name, event.id))) return false;
        await handler.handle(
          { ...event, data },
          {
            trx,
            logger: log,
            attempt: delivery.attempt,
            emit: (next) =>
              writeToOutbox(
                trx,
                createEvent({ ...next, correlationId: event.correlationId, causationId: event.id }),
              ),
          },
        );
        return true;
      });
      crashPoint('consumer:after-commit');
      if (!handled) {
        count('duplicate');
        log.debug('duplicate delivery: already handled');
        return { kind: 'ack' };
      }
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      options.metrics?.observeHandled(
        options.name,
        seconds,
        (Date.now() - Date.parse(event.occurredAt)) / 1000,
      );
      count('handled');
      return { kind: 'ack' };
    } catch (error) {
      const message = (error as Error).message;
      if (error instanceof PermanentEventError) return { kind: 'dead-letter', reason: message };
      log.warn({ err: error, attempt: delivery.attempt }, 'event handler failed');
      return { kind: 'retry', error: message };
    }
  };
}

/**
 * Subscribes an idempotent consumer: declares its durable queue, then handles deliveries until
 * closed. A consumer named in `paused` only declares its queue (its events wait there).
 *
 * @example await startConsumer({ name: 'reporting-pump', db, broker, topics: ['warehouse.order.*'], handlers })
 */
export async function startConsumer(
  options: ConsumerOptions & { paused?: ReadonlySet<string> },
): Promise<RunningConsumer> {
  const retry: RetryPolicy = { ...DEFAULT_RETRY, ...options.retry };
  const subscribeOptions = {
    name: options.name,
    topics: options.topics,
    retry,
    prefetch: options.prefetch ?? 16,
  };
  const logger = options.logger ?? silentLogger();
  if (options.paused?.has(options.name)) {
    await options.broker.declare(subscribeOptions);
    logger.warn(
      { consumer: options.name },
      'consumer paused (EVENTS_PAUSED_CONSUMERS): its events wait in its queue',
    );
    return { name: options.name, close: async () => undefined };
  }
  const subscription: Subscription = await options.broker.subscribe(
    subscribeOptions,
    createDeliveryHandler(options),
    {
      onRetry(delivery, delayMs, error) {
        options.metrics?.countConsumed(options.name, 'retried');
        logger.info(
          {
            consumer: options.name,
            eventId: delivery.eventId,
            attempt: delivery.attempt,
            delayMs,
            error,
          },
          'event will be retried',
        );
      },
      onDeadLetter(delivery, reason) {
        options.metrics?.countConsumed(options.name, 'dead-lettered');
        logger.warn(
          { consumer: options.name, eventId: delivery.eventId, attempt: delivery.attempt, reason },
          'event dead-lettered',
        );
      },
      onError(error) {
        logger.warn({ consumer: options.name, err: error }, 'consumer error');
      },
    },
  );
  logger.info(
    { consumer: options.name, topics: options.topics, broker: options.broker.where },
    'consumer started',
  );
  return { name: options.name, close: () => subscription.close() };
}
