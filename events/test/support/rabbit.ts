import { randomBytes } from 'node:crypto';
import { connect } from 'amqplib';
import { rabbitNames } from '../../src/broker/rabbitmq/rabbit-topology';

export const RABBIT_ENV = 'STRANGLER_TEST_RABBITMQ';
export const RABBIT_URL = process.env.RABBITMQ_TEST_URL ?? 'amqp://guest:guest@127.0.0.1:5672';

export async function probeRabbit(url = RABBIT_URL): Promise<string | null> {
  try {
    const connection = await connect(url, { timeout: 2000 });
    await connection.close();
    return null;
  } catch (error) {
    return (error as Error).message || String(error);
  }
}

export function rabbitAvailability(): { available: boolean; reason: string } {
  const value = process.env[RABBIT_ENV];
  if (value === 'yes') return { available: true, reason: '' };
  return { available: false, reason: value ?? 'the events global setup did not probe RabbitMQ' };
}

/** A fresh exchange name per test, so tests never see each other's queues. */
export function testExchange(): string {
  return `sk-test.${randomBytes(4).toString('hex')}`;
}

/** Deletes what a test declared: exchanges, the dead-letter queue, subscriber and retry queues. */
export async function deleteTopology(
  exchange: string,
  subscribers: string[],
  retryDelays: number[] = [],
): Promise<void> {
  const names = rabbitNames(exchange);
  const connection = await connect(RABBIT_URL);
  try {
    const channel = await connection.createChannel();
    channel.on('error', () => undefined);
    for (const subscriber of subscribers) {
      await channel.deleteQueue(names.queueOf(subscriber));
      for (const delay of retryDelays)
        await channel.deleteQueue(names.retryQueueOf(subscriber, delay));
    }
    await channel.deleteQueue(names.deadLetterQueue);
    await channel.deleteExchange(names.exchange);
    await channel.deleteExchange(names.deadLetterExchange);
    await channel.close();
  } finally {
    await connection.close();
  }
}
