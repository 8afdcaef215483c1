import type { Command } from 'commander';
import type { Broker } from '../broker/broker';
import { openBroker } from '../broker/open-broker';
import { loadEventsEnvironment, parseBrokerUrl } from '../config';

export interface BrokerOptions {
  brokerUrl?: string;
  exchange?: string;
}

export function brokerOptions(command: Command): Command {
  return command
    .option(
      '--broker-url <url>',
      'amqp://… (RabbitMQ), postgres://… or sqlite:<file> (embedded); default $EVENTS_BROKER_URL, else data/event-broker.sqlite',
    )
    .option(
      '--exchange <name>',
      'RabbitMQ exchange (default $EVENTS_EXCHANGE, else strangler.events)',
    );
}

/** Opens the broker the options (or the environment) name, runs `work`, closes it. */
export async function withBroker<T>(
  options: BrokerOptions,
  work: (broker: Broker) => Promise<T>,
): Promise<T> {
  const env = loadEventsEnvironment();
  const exchange =
    options.exchange ?? (env.broker.kind === 'rabbitmq' ? env.broker.exchange : undefined);
  const target = options.brokerUrl ? parseBrokerUrl(options.brokerUrl, exchange) : env.broker;
  const broker = await openBroker(
    target.kind === 'rabbitmq' && exchange ? { ...target, exchange } : target,
    { connectRetries: 1 },
  );
  try {
    return await work(broker);
  } finally {
    await broker.close();
  }
}
