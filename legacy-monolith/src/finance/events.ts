import type { MonolithEvent } from '../events/record-event';

/** finance.payment.booked / finance.refund.booked (version 1): a ledger entry was recorded. */
export function moneyBooked(
  kind: 'payment' | 'refund',
  entry: {
    id: number;
    order_id: number;
    customer_id: number;
    amount_cents: number;
    tax_cents: number;
    country_code: string;
    recorded_at: string;
  },
): MonolithEvent {
  return {
    type: `finance.${kind}.booked`,
    occurredAt: entry.recorded_at,
    entity: {
      type: 'ledger-entry',
      id: entry.id,
      link: `/finance/ledger?orderId=${entry.order_id}`,
    },
    data: {
      orderId: entry.order_id,
      ledgerEntryId: entry.id,
      customerId: entry.customer_id,
      countryCode: entry.country_code,
      amountCents: entry.amount_cents,
      taxCents: entry.tax_cents,
    },
  };
}
