import type { Knex } from 'knex';
import type { Logger } from 'pino';
import type { ConsumerOptions } from '../../../events/src/consumer/consumer';

export type MonolithConsumer = Omit<ConsumerOptions, 'db' | 'broker' | 'logger' | 'metrics'>;

/**
 * The monolith's own event consumers, run by `startMonolith` when EVENTS_BROKER_URL is set. Each
 * one is an idempotent subscriber with its own durable queue (and inbox rows in this database).
 * None yet: every reaction inside the monolith is still a direct call.
 */
export function monolithConsumers(_deps: { db: Knex; logger: Logger }): MonolithConsumer[] {
  return [];
}
