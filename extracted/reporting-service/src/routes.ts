import { Router } from 'express';
import { z } from 'zod';
import { isoDateText, toTimeRange } from './date-range';
import { ReportingError } from './errors';
import type { Reports } from './reports';

const rangeSchema = z.object({ from: isoDateText.optional(), to: isoDateText.optional() });
const bestSellerSchema = rangeSchema.extend({
  by: z.enum(['revenue', 'units'], 'expected revenue or units').default('revenue'),
  limit: z
    .string()
    .regex(/^\d+$/, 'expected an integer 1-100')
    .transform(Number)
    .refine((n) => n >= 1 && n <= 100, 'expected an integer 1-100')
    .default(10),
});

function parseQuery<T extends z.ZodType>(schema: T, query: unknown): z.infer<T> {
  const parsed = schema.safeParse(query);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const field = issue.path.join('.');
  throw new ReportingError('VALIDATION_FAILED', `${field}: ${issue.message}`, field);
}

export function reportingRoutes(reports: Reports): Router {
  const router = Router();
  router.get('/reports/revenue-by-country', async (req, res) => {
    const query = parseQuery(rangeSchema, req.query);
    res.json(await reports.revenueByCountry(toTimeRange(query.from, query.to)));
  });
  router.get('/reports/best-sellers', async (req, res) => {
    const query = parseQuery(bestSellerSchema, req.query);
    res.json(
      await reports.bestSellers({
        by: query.by,
        limit: query.limit,
        ...toTimeRange(query.from, query.to),
      }),
    );
  });
  router.get('/reports/status', async (_req, res) => {
    res.json(await reports.status());
  });
  return router;
}
