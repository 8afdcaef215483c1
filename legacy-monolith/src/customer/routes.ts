import { Router } from 'express';
import { z } from 'zod';
import { parseId, parseInput, textField } from '../http/validation';
import type { CustomerService } from './service';

const newCustomerSchema = z.object({
  email: z
    .string()
    .trim()
    .max(254, 'must be at most 254 characters')
    .pipe(z.email('must be an e-mail address like ada@example.com')),
  name: textField(200),
  countryCode: z.string().regex(/^[A-Za-z]{2}$/, 'must be a two-letter country code like GB'),
});

export function createCustomerRouter(customers: CustomerService): Router {
  const router = Router();

  router.get('/countries', async (_req, res) => {
    res.json(await customers.listCountries());
  });

  router.post('/customers', async (req, res) => {
    res.status(201).json(await customers.createCustomer(parseInput(newCustomerSchema, req.body)));
  });

  router.get('/customers/:id', async (req, res) => {
    res.json(await customers.getCustomer(parseId(req.params.id)));
  });

  router.get('/customers/:id/loyalty', async (req, res) => {
    res.json(await customers.getLoyalty(parseId(req.params.id)));
  });

  return router;
}
