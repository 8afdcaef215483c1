import { z } from 'zod';
import type { EventHandler } from '../../../events/src/consumer/consumer';
import type { ReportingRepository } from './repository';

// The pump reads warehouse's events tolerantly: only the fields below matter, others are ignored.
const line = z.object({
  albumId: z.number().int(),
  quantity: z.number().int().positive(),
  amountCents: z.number().int(),
});

const placed = z.object({
  orderId: z.number().int(),
  customerId: z.number().int(),
  countryCode: z.string().length(2),
  taxCents: z.number().int(),
  totalCents: z.number().int(),
  lines: z.array(line),
});

const dispatched = z.object({ orderId: z.number().int(), customerId: z.number().int() });

const returned = z.object({
  orderId: z.number().int(),
  customerId: z.number().int(),
  countryCode: z.string().length(2),
  refundCents: z.number().int(),
  taxCents: z.number().int(),
  lines: z.array(line),
});

/**
 * The reporting data pump: keeps the reporting database up to date from warehouse's order
 * events. A placed order is a sale, a returned one a refund, at the time the event occurred.
 */
export function reportingHandlers(
  repository: ReportingRepository,
): Record<string, EventHandler<never>> {
  const handlers = {
    'warehouse.order.placed': {
      schema: placed,
      async handle(event, { trx }) {
        const order = event.data;
        await repository.upsertOrder(trx, {
          orderId: order.orderId,
          customerId: order.customerId,
          countryCode: order.countryCode,
          status: 'placed',
          placed_at: event.occurredAt,
        });
        await repository.insertSale(trx, {
          orderId: order.orderId,
          kind: 'payment',
          countryCode: order.countryCode,
          amountCents: order.totalCents,
          taxCents: order.taxCents,
          recordedAt: event.occurredAt,
          lines: order.lines,
        });
      },
    } satisfies EventHandler<z.infer<typeof placed>>,
    'warehouse.order.dispatched': {
      schema: dispatched,
      async handle(event, { trx }) {
        await repository.upsertOrder(trx, {
          orderId: event.data.orderId,
          customerId: event.data.customerId,
          status: 'dispatched',
          dispatched_at: event.occurredAt,
        });
      },
    } satisfies EventHandler<z.infer<typeof dispatched>>,
    'warehouse.order.returned': {
      schema: returned,
      async handle(event, { trx }) {
        const order = event.data;
        await repository.upsertOrder(trx, {
          orderId: order.orderId,
          customerId: order.customerId,
          countryCode: order.countryCode,
          status: 'returned',
          returned_at: event.occurredAt,
        });
        await repository.insertSale(trx, {
          orderId: order.orderId,
          kind: 'refund',
          countryCode: order.countryCode,
          amountCents: -order.refundCents,
          taxCents: -order.taxCents,
          recordedAt: event.occurredAt,
          lines: order.lines.map((l) => ({ ...l, amountCents: -l.amountCents })),
        });
      },
    } satisfies EventHandler<z.infer<typeof returned>>,
  };
  return handlers as unknown as Record<string, EventHandler<never>>;
}
