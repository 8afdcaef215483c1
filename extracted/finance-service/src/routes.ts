import { Router } from 'express';
import { z } from 'zod';
import { isoDateText, toTimeRange } from './date-range';
import { validationFailed } from './errors';
import { integerField, integerText, pagingSchema, parseId, parseInput } from './http/validation';
import type { FinanceReports } from './reports';
import type { FinanceService, OrderMoney } from './service';

const ledgerQuerySchema = pagingSchema.extend({
  orderId: integerText(1).optional(),
  kind: z.enum(['payment', 'refund'], 'expected payment or refund').optional(),
});

const rangeSchema = z.object({ from: isoDateText.optional(), to: isoDateText.optional() });

const bestSellerQuerySchema = rangeSchema.extend({
  by: z.enum(['revenue', 'units'], 'expected revenue or units').default('revenue'),
  genre: z.string().max(50).optional(),
  limit: integerText(1, 100).default(10),
});

const cents = integerField(0, 1_000_000_000);
const id = integerField(1, 2_147_483_647);

/** POST /finance/payments and /finance/refunds: the idempotency key is (orderId, kind). */
const orderMoneySchema: z.ZodType<OrderMoney> = z.object({
  orderId: id,
  customerId: id,
  countryCode: z.string().regex(/^[A-Z]{2}$/, 'expected a two-letter country code like DE'),
  totalCents: cents,
  taxCents: cents,
  lines: z
    .array(z.object({ albumId: id, quantity: integerField(1, 10_000), amountCents: cents }))
    .min(1)
    .max(500),
});

function parseRange(query: { from?: string; to?: string }) {
  const range = toTimeRange(query.from, query.to);
  if (range.from >= range.until)
    throw validationFailed('to', `to: ${query.to} is before from ${query.from}`);
  return range;
}

const correlationOf = (locals: Record<string, unknown>) =>
  locals.correlationId as string | undefined;

/** The finance HTTP edge: the monolith's /finance API plus the payment and refund endpoints its saga will call. */
export function financeRoutes(finance: FinanceService, reports: FinanceReports): Router {
  const router = Router();

  router.get('/finance/ledger', async (req, res) => {
    const { page, pageSize, ...filter } = parseInput(ledgerQuerySchema, req.query, 'query');
    res.json(await finance.listLedger(filter, page, pageSize));
  });

  for (const kind of ['payment', 'refund'] as const) {
    router.post(`/finance/${kind}s`, async (req, res) => {
      const { entry, created } = await finance.record(kind, parseInput(orderMoneySchema, req.body));
      res.status(created ? 201 : 200).json(entry);
    });
  }

  router.get('/finance/invoices/:orderId', async (req, res) => {
    res.json(
      await finance.getInvoice(parseId(req.params.orderId, 'orderId'), correlationOf(res.locals)),
    );
  });

  router.get('/finance/reports/best-sellers', async (req, res) => {
    const query = parseInput(bestSellerQuerySchema, req.query, 'query');
    res.json(
      await reports.bestSellers(
        { by: query.by, genre: query.genre, limit: query.limit, ...parseRange(query) },
        correlationOf(res.locals),
      ),
    );
  });

  router.get('/finance/reports/revenue-by-country', async (req, res) => {
    res.json(
      await reports.revenueByCountry(parseRange(parseInput(rangeSchema, req.query, 'query'))),
    );
  });

  return router;
}
