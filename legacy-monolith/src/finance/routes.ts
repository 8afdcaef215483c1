import { Router } from 'express';
import { z } from 'zod';
import { validationFailed } from '../errors';
import { pagingSchema } from '../http/paging';
import { integerText, parseId, parseInput } from '../http/validation';
import { isoDateText, toTimeRange } from './date-range';
import type { FinanceService } from './service';

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

function parseRange(query: { from?: string; to?: string }) {
  const range = toTimeRange(query.from, query.to);
  if (range.from >= range.until)
    throw validationFailed('to', `to: ${query.to} is before from ${query.from}`);
  return range;
}

export function createFinanceRouter(finance: FinanceService): Router {
  const router = Router();

  router.get('/finance/ledger', async (req, res) => {
    const { page, pageSize, ...filter } = parseInput(ledgerQuerySchema, req.query, 'query');
    res.json(await finance.listLedger(filter, { page, pageSize }));
  });

  router.get('/finance/invoices/:orderId', async (req, res) => {
    res.json(await finance.getInvoice(parseId(req.params.orderId, 'orderId')));
  });

  router.get('/finance/reports/best-sellers', async (req, res) => {
    const query = parseInput(bestSellerQuerySchema, req.query, 'query');
    res.json(
      await finance.bestSellers({
        by: query.by,
        genre: query.genre,
        limit: query.limit,
        ...parseRange(query),
      }),
    );
  });

  router.get('/finance/reports/revenue-by-country', async (req, res) => {
    res.json(
      await finance.revenueByCountry(parseRange(parseInput(rangeSchema, req.query, 'query'))),
    );
  });

  return router;
}
