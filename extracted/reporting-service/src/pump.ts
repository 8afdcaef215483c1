import { z } from 'zod';
import type { EventHandler, HandlerContext } from '../../../events/src/consumer/consumer';
import type { ReportingRepository, Sale } from './repository';

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

type OrderWithMoney = z.infer<typeof placed> | z.infer<typeof returned>;

/**
 * A placed or returned order: its row moves to `status` at the time the event occurred, and the
 * money it moved is recorded as one sale (a payment, or a refund with negative amounts).
 */
async function applyOrderWithMoney(
  repository: ReportingRepository,
  trx: HandlerContext['trx'],
  occurredAt: string,
  order: OrderWithMoney,
  status: 'placed' | 'returned',
  sale: Pick<Sale, 'kind' | 'amountCents' | 'taxCents' | 'lines'>,
): Promise<void> {
  await repository.upsertOrder(trx, {
    orderId: order.orderId,
    customerId: order.customerId,
    countryCode: order.countryCode,
    status,
    ...(status === 'placed' ? { placed_at: occurredAt } : { returned_at: occurredAt }),
  });
  await repository.insertSale(trx, {
    orderId: order.orderId,
    countryCode: order.countryCode,
    recordedAt: occurredAt,
    ...sale,
  });
}

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
        await applyOrderWithMoney(repository, trx, event.occurredAt, order, 'placed', {
          kind: 'payment',
          amountCents: order.totalCents,
          taxCents: order.taxCents,
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
        await applyOrderWithMoney(repository, trx, event.occurredAt, order, 'returned', {
          kind: 'refund',
          amountCents: -order.refundCents,
          taxCents: -order.taxCents,
          lines: order.lines.map((l) => ({ ...l, amountCents: -l.amountCents })),
        });
      },
    } satisfies EventHandler<z.infer<typeof returned>>,
  };
  return handlers as unknown as Record<string, EventHandler<never>>;
}
