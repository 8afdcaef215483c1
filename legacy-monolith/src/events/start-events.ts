import type { Knex } from 'knex';
import type { Logger } from 'pino';
import { openBroker } from '../../../events/src/broker/open-broker';
import type { EventsEnvironment } from '../../../events/src/config';
import { type RunningConsumer, startConsumer } from '../../../events/src/consumer/consumer';
import { startRelay } from '../../../events/src/outbox/relay';
import { monolithConsumers } from './consumers';

export interface MonolithEvents {
  close(): Promise<void>;
}

/**
 * With a broker configured: relays the monolith's outbox to it, and runs the monolith's consumers
 * (those named in EVENTS_PAUSED_CONSUMERS only get their queue declared, so their events wait).
 */
export async function startMonolithEvents(
  db: Knex,
  events: EventsEnvironment,
  logger: Logger,
): Promise<MonolithEvents> {
  const broker = await openBroker(events.broker, { logger });
  const relay = startRelay({ db, broker, logger });
  const consumers: RunningConsumer[] = [];
  try {
    for (const consumer of monolithConsumers({ db, logger }))
      consumers.push(
        await startConsumer({ ...consumer, db, broker, logger, paused: events.pausedConsumers }),
      );
  } catch (error) {
    await relay.stop();
    await broker.close();
    throw error;
  }
  logger.info(
    { broker: broker.where, consumers: consumers.map((c) => c.name) },
    'monolith events started',
  );
  return {
    async close() {
      await relay.stop();
      await Promise.all(consumers.map((consumer) => consumer.close()));
      await broker.close();
    },
  };
}
