import { EventEmitter } from 'node:events';
import type { Knex } from 'knex';
import type { EventEnvelope } from '../envelope';
import { OUTBOX_TABLE } from './outbox-schema';

// Wakes the relays of this process when a transaction that wrote to an outbox commits, so an
// event does not wait for the next poll. Relays in other processes poll.
const committed = new EventEmitter();
committed.setMaxListeners(0);

export function onOutboxCommit(listener: () => void): () => void {
  committed.on('commit', listener);
  return () => committed.off('commit', listener);
}

/**
 * Writes events to the outbox in the caller's transaction: they exist exactly when the change
 * that caused them commits, and the relay publishes them after.
 *
 * @example await db.transaction(async (trx) => { await trx('orders').insert(order); await writeToOutbox(trx, orderPlaced(order)); });
 */
export async function writeToOutbox(
  trx: Knex.Transaction | Knex,
  events: EventEnvelope | EventEnvelope[],
): Promise<void> {
  const list = Array.isArray(events) ? events : [events];
  if (list.length === 0) return;
  await trx(OUTBOX_TABLE).insert(
    list.map((event) => ({
      event_id: event.id,
      type: event.type,
      body: JSON.stringify(event),
      occurred_at: event.occurredAt,
      published_at: null,
    })),
  );
  // A transaction wakes the relay when it commits; a plain connection has committed already.
  if ('executionPromise' in trx && trx.isTransaction)
    trx.executionPromise.then(
      () => committed.emit('commit'),
      () => undefined,
    );
  else committed.emit('commit');
}

export interface OutboxStatus {
  pending: number;
  published: number;
  oldestPendingAt: string | null;
}

export async function readOutboxStatus(db: Knex): Promise<OutboxStatus> {
  const [pending] = await db(OUTBOX_TABLE)
    .whereNull('published_at')
    .count({ n: '*' })
    .min({ oldest: 'occurred_at' });
  const [published] = await db(OUTBOX_TABLE).whereNotNull('published_at').count({ n: '*' });
  return {
    pending: Number(pending?.n ?? 0),
    published: Number(published?.n ?? 0),
    oldestPendingAt: (pending?.oldest as string | null) ?? null,
  };
}
