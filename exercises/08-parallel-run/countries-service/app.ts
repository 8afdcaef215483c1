import express, { type Express } from 'express';
import { COUNTRIES } from './countries';

/** The candidate: GET /countries as the monolith serves it ({code, name, taxRateBp, shippingZone}, by code). */
export function createCountriesApp(): Express {
  const app = express();
  app.disable('x-powered-by');
  app.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/countries', (_req, res) => {
    res.json(
      [...COUNTRIES]
        .sort((a, b) => (a.code < b.code ? -1 : 1))
        .map((c) => ({
          code: c.code,
          name: c.name,
          taxRateBp: Math.round(c.vatPercent * 100),
          shippingZone: c.shippingZone,
        })),
    );
  });
  app.use((req, res) => {
    res
      .status(404)
      .json({ error: { code: 'NOT_FOUND', message: `no route for ${req.method} ${req.path}` } });
  });
  return app;
}
