import type { Channel, ConfirmChannel, GetMessage } from 'amqplib';
import type { DeadLetter, DeadLetterQueue } from '../broker';
import { publishConfirmed } from './confirm-publish';
import type { RabbitNames } from './rabbit-topology';

const header = (message: GetMessage, name: string) => message.properties.headers?.[name] as unknown;

function toDeadLetter(message: GetMessage, names: RabbitNames): DeadLetter {
  const deaths = header(message, 'x-death') as { queue?: string; reason?: string }[] | undefined;
  const subscriber =
    (header(message, 'x-subscriber') as string | undefined) ??
    names.subscriberOfQueue(
      String(header(message, 'x-first-death-queue') ?? deaths?.[0]?.queue ?? ''),
    );
  const eventId = String(message.properties.messageId ?? '');
  return {
    id: `${subscriber}/${eventId}`,
    subscriber,
    eventId,
    routingKey: message.fields.routingKey,
    body: message.content.toString('utf8'),
    reason: String(
      header(message, 'x-dead-reason') ?? deaths?.[0]?.reason ?? 'dead-lettered by RabbitMQ',
    ),
    deliveries: Number(header(message, 'x-deliveries') ?? 0),
    deadAt: String(header(message, 'x-dead-at') ?? ''),
  };
}

/**
 * The dead-letter queue read over AMQP: messages are fetched unacknowledged, and the ones not
 * replayed or dropped go back in place when the channel closes. Not for two operators at once.
 */
export function rabbitDeadLetters(
  openChannel: () => Promise<ConfirmChannel>,
  names: RabbitNames,
): DeadLetterQueue {
  async function walk(
    limit: number,
    visit: (message: GetMessage, letter: DeadLetter, channel: ConfirmChannel) => Promise<void>,
  ): Promise<void> {
    const channel = await openChannel();
    try {
      for (let seen = 0; seen < limit; seen++) {
        const message = await channel.get(names.deadLetterQueue, { noAck: false });
        if (!message) break;
        await visit(message, toDeadLetter(message, names), channel);
      }
    } finally {
      await closeQuietly(channel);
    }
  }

  return {
    async list(filter = {}) {
      const letters: DeadLetter[] = [];
      await walk(filter.limit ?? 1000, async (_message, letter) => {
        if (!filter.subscriber || letter.subscriber === filter.subscriber) letters.push(letter);
      });
      return letters;
    },
    async replay(ids) {
      const wanted = new Set(ids);
      let replayed = 0;
      await walk(100_000, async (message, letter, channel) => {
        if (!wanted.has(letter.id)) return;
        await publishConfirmed(channel, [
          {
            exchange: '',
            routingKey: names.queueOf(letter.subscriber),
            body: message.content,
            options: {
              persistent: true,
              messageId: letter.eventId,
              contentType: 'application/json',
              type: letter.routingKey,
              headers: { 'x-routing-key': letter.routingKey },
            },
          },
        ]);
        channel.ack(message);
        replayed += 1;
      });
      return replayed;
    },
    async drop(ids) {
      const wanted = new Set(ids);
      let dropped = 0;
      await walk(100_000, async (message, letter, channel) => {
        if (!wanted.has(letter.id)) return;
        channel.ack(message);
        dropped += 1;
      });
      return dropped;
    },
  };
}

export async function closeQuietly(channel: Channel): Promise<void> {
  try {
    await channel.close();
  } catch {
    // already closed with its connection
  }
}
