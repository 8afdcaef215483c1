import type { Logger } from 'pino';
import { type BrokerTarget, describeBroker } from '../config';
import { EventsError } from '../errors';
import type { Broker } from './broker';
import { type EmbeddedBrokerOptions, openEmbeddedBroker } from './embedded/embedded-broker';
import { openRabbitBroker, type RabbitBrokerOptions } from './rabbitmq/rabbit-broker';

export type OpenBrokerOptions = EmbeddedBrokerOptions & RabbitBrokerOptions & { logger?: Logger };

/**
 * Opens the broker a target names: the embedded one (a database) or RabbitMQ.
 *
 * @example const broker = await openBroker(loadEventsEnvironment().broker);
 */
export async function openBroker(
  target: BrokerTarget,
  options: OpenBrokerOptions = {},
): Promise<Broker> {
  try {
    return target.kind === 'rabbitmq'
      ? await openRabbitBroker(target.url, target.exchange, options)
      : await openEmbeddedBroker(target.database, options);
  } catch (error) {
    if (error instanceof EventsError) throw error;
    throw new EventsError(
      'ERR_EVENTS_BROKER_UNREACHABLE',
      `cannot open the ${describeBroker(target)}: ${(error as Error).message}. ${
        target.kind === 'rabbitmq'
          ? 'Start RabbitMQ (rabbitmq-server -detached) or unset EVENTS_BROKER_URL to use the embedded broker.'
          : 'Check EVENTS_BROKER_URL (postgres://… or sqlite:<file>).'
      }`,
    );
  }
}
