import type { ConfirmChannel, Options } from 'amqplib';

export interface Publication {
  exchange: string;
  routingKey: string;
  body: Buffer;
  options: Options.Publish;
}

function drainedOrClosed(channel: ConfirmChannel): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      channel.off('drain', done);
      channel.off('close', done);
      resolve();
    };
    channel.on('drain', done);
    channel.on('close', done);
  });
}

/**
 * Publishes every message on a confirm channel, pipelined, and resolves once RabbitMQ has
 * confirmed them all; rejects if it nacks one or the channel closes first.
 */
export async function publishConfirmed(
  channel: ConfirmChannel,
  publications: Publication[],
): Promise<void> {
  const confirms: Promise<void>[] = [];
  for (const p of publications) {
    let ready = true;
    const confirmed = new Promise<void>((resolve, reject) => {
      ready = channel.publish(p.exchange, p.routingKey, p.body, p.options, (error: unknown) =>
        error
          ? reject(
              new Error(
                `RabbitMQ did not confirm message ${p.options.messageId ?? ''} (${String(error)})`,
              ),
            )
          : resolve(),
      );
    });
    // Handled here so an early rejection is not reported as unhandled; Promise.all still sees it.
    confirmed.catch(() => undefined);
    confirms.push(confirmed);
    if (!ready) await drainedOrClosed(channel);
  }
  await Promise.all(confirms);
}
