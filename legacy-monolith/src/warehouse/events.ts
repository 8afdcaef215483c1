import type { MonolithEvent } from '../events/record-event';
import type { OrderMoney } from '../finance';

// The events warehouse publishes (version 1 of each). Consumers read them tolerantly, so fields
// may be added; removing or changing one is a new version.

const order = (orderId: number) => ({
  type: 'order',
  id: orderId,
  link: `/warehouse/orders/${orderId}`,
});

export function orderPlaced(money: OrderMoney, placedAt: string): MonolithEvent {
  return {
    type: 'warehouse.order.placed',
    occurredAt: placedAt,
    entity: order(money.orderId),
    data: {
      orderId: money.orderId,
      customerId: money.customerId,
      countryCode: money.countryCode,
      subtotalCents: money.totalCents - money.taxCents,
      taxCents: money.taxCents,
      totalCents: money.totalCents,
      lines: money.lines.map((line) => ({
        albumId: line.albumId,
        quantity: line.quantity,
        unitPriceCents: line.amountCents / line.quantity,
        amountCents: line.amountCents,
      })),
    },
  };
}

export function pickListIssued(
  orderId: number,
  picks: { album_id: number; quantity: number; bin: string }[],
  issuedAt: string,
): MonolithEvent {
  return {
    type: 'warehouse.pick-list.issued',
    occurredAt: issuedAt,
    entity: order(orderId),
    data: {
      orderId,
      picks: picks.map((pick) => ({
        albumId: pick.album_id,
        quantity: pick.quantity,
        bin: pick.bin,
      })),
    },
  };
}

export function orderDispatched(
  orderId: number,
  customerId: number,
  dispatchedAt: string,
): MonolithEvent {
  return {
    type: 'warehouse.order.dispatched',
    occurredAt: dispatchedAt,
    entity: order(orderId),
    data: { orderId, customerId },
  };
}

/** The goods came back: the money to refund travels with the event (net amounts per line). */
export function orderReturned(money: OrderMoney, returnedAt: string): MonolithEvent {
  return {
    type: 'warehouse.order.returned',
    occurredAt: returnedAt,
    entity: order(money.orderId),
    data: {
      orderId: money.orderId,
      customerId: money.customerId,
      countryCode: money.countryCode,
      refundCents: money.totalCents,
      taxCents: money.taxCents,
      lines: money.lines.map((line) => ({
        albumId: line.albumId,
        quantity: line.quantity,
        amountCents: line.amountCents,
      })),
    },
  };
}
