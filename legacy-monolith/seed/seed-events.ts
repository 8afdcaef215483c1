import { createHash } from 'node:crypto';
import type { Knex } from 'knex';
import { createEvent, type EventEnvelope } from '../../events/src/envelope';
import { writeToOutbox } from '../../events/src/outbox/outbox';
import type { MonolithEvent } from '../src/events/record-event';
import type { OrderMoney } from '../src/finance';
import { moneyBooked } from '../src/finance/events';
import {
  orderDispatched,
  orderPlaced,
  orderReturned,
  pickListIssued,
} from '../src/warehouse/events';

// The same ids on every run and engine, like the seeded rows: a UUID-shaped digest of what the event is.
function stableId(key: string): string {
  const hex = createHash('sha1').update(key).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

function seeded(event: MonolithEvent, key: string, orderId: number): EventEnvelope {
  return {
    ...createEvent({ ...event, source: 'legacy-monolith', correlationId: `seed-order-${orderId}` }),
    id: stableId(`seed:${key}`),
  };
}

/**
 * Writes the outbox events that the seeded orders would have produced had they been placed
 * live (placed, pick list, payment, dispatched, returned, refund), with their original times,
 * so consumers (a reporting pump) start from the same history as the tables.
 */
export async function writeSeedEvents(db: Knex, batchSize = 1000): Promise<number> {
  let written = 0;
  for (let after = 0; ; ) {
    const orders = await db('orders')
      .select('*')
      .where('id', '>', after)
      .orderBy('id')
      .limit(batchSize);
    if (orders.length === 0) return written;
    const ids = orders.map((o) => Number(o.id));
    after = ids[ids.length - 1];
    const [lines, picks, entries] = await Promise.all([
      db('order_lines').select('*').whereIn('order_id', ids).orderBy('id'),
      db('pick_instructions').select('*').whereIn('order_id', ids).orderBy('id'),
      db('ledger_entries').select('*').whereIn('order_id', ids).orderBy('id'),
    ]);
    const events: EventEnvelope[] = [];
    for (const row of orders) {
      const id = Number(row.id);
      const money: OrderMoney = {
        orderId: id,
        customerId: Number(row.customer_id),
        countryCode: row.country_code,
        totalCents: Number(row.total_cents),
        taxCents: Number(row.tax_cents),
        lines: lines
          .filter((l) => Number(l.order_id) === id)
          .map((l) => ({
            albumId: Number(l.album_id),
            quantity: Number(l.quantity),
            amountCents: Number(l.quantity) * Number(l.unit_price_cents),
          })),
      };
      events.push(seeded(orderPlaced(money, row.placed_at), `placed:${id}`, id));
      events.push(
        seeded(
          pickListIssued(
            id,
            picks.filter((p) => Number(p.order_id) === id),
            row.placed_at,
          ),
          `picks:${id}`,
          id,
        ),
      );
      for (const entry of entries.filter((e) => Number(e.order_id) === id))
        events.push(
          seeded(
            moneyBooked(entry.kind, { ...entry, id: Number(entry.id) }),
            `${entry.kind}:${entry.id}`,
            id,
          ),
        );
      if (row.dispatched_at)
        events.push(
          seeded(orderDispatched(id, money.customerId, row.dispatched_at), `dispatched:${id}`, id),
        );
      if (row.returned_at)
        events.push(seeded(orderReturned(money, row.returned_at), `returned:${id}`, id));
    }
    await db.transaction(async (trx) => {
      for (let i = 0; i < events.length; i += 500)
        await writeToOutbox(trx, events.slice(i, i + 500));
    });
    written += events.length;
  }
}
