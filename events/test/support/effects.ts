import type { EventHandler } from '../../src/consumer/consumer';

/** A handler whose side effect is a row per event: a double effect shows as two rows. */
export function effectHandlers(fail?: (n: number) => boolean): Record<string, EventHandler> {
  return {
    'thing.made': {
      async handle(event, { trx }) {
        const n = (event.data as { n: number }).n;
        if (fail?.(n)) throw new Error(`thing ${n} can never be made`);
        await trx('effects').insert({ event_id: event.id, n });
      },
    },
  };
}
