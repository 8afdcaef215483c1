import type { Knex } from 'knex';
import { createEvent, type NewEvent } from '../../../events/src/envelope';
import { writeToOutbox } from '../../../events/src/outbox/outbox';
import { currentCorrelationId } from '../http/request-context';

export type MonolithEvent = Omit<NewEvent, 'source' | 'correlationId' | 'causationId'>;

/**
 * Records an event in the monolith's outbox, in the caller's transaction, with the request's
 * correlation ID: it is published (by the relay) exactly when the change commits.
 *
 * @example await recordEvent(trx, { type: 'warehouse.order.dispatched', entity: { type: 'order', id, link: `/warehouse/orders/${id}` }, data: { orderId: id } })
 */
export async function recordEvent(trx: Knex.Transaction, event: MonolithEvent): Promise<void> {
  await writeToOutbox(
    trx,
    createEvent({ ...event, source: 'legacy-monolith', correlationId: currentCorrelationId() }),
  );
}
