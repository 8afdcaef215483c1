import { Router } from 'express';
import { z } from 'zod';
import { validationFailed } from '../errors';
import { pagingSchema } from '../http/paging';
import {
  integerField,
  integerText,
  MAX_INT,
  parseId,
  parseInput,
  textField,
} from '../http/validation';
import type { WarehouseService } from './service';

const newOrderSchema = z.object({
  customerId: integerField(1, MAX_INT),
  lines: z
    .array(z.object({ albumId: integerField(1, MAX_INT), quantity: integerField(1, 100) }))
    .min(1, 'an order needs at least one line')
    .max(50, 'an order has at most 50 lines'),
});

const orderListSchema = pagingSchema.extend({ customerId: integerText(1).optional() });

const stockSchema = z.object({ quantity: integerField(0, 1_000_000), bin: textField(20) });

export function createWarehouseRouter(warehouse: WarehouseService): Router {
  const router = Router();

  router.post('/warehouse/orders', async (req, res) => {
    res.status(201).json(await warehouse.placeOrder(parseInput(newOrderSchema, req.body)));
  });

  router.get('/warehouse/orders', async (req, res) => {
    const { customerId, ...paging } = parseInput(orderListSchema, req.query, 'query');
    if (customerId === undefined)
      throw validationFailed(
        'customerId',
        'customerId: required, e.g. /warehouse/orders?customerId=1',
      );
    res.json(await warehouse.listOrders(customerId, paging));
  });

  router.get('/warehouse/orders/:id', async (req, res) => {
    res.json(await warehouse.getOrder(parseId(req.params.id)));
  });

  router.post('/warehouse/orders/:id/dispatch', async (req, res) => {
    res.json(await warehouse.dispatchOrder(parseId(req.params.id)));
  });

  router.post('/warehouse/orders/:id/return', async (req, res) => {
    res.json(await warehouse.returnOrder(parseId(req.params.id)));
  });

  router.get('/warehouse/stock/:albumId', async (req, res) => {
    res.json(await warehouse.getStock(parseId(req.params.albumId, 'albumId')));
  });

  router.put('/warehouse/stock/:albumId', async (req, res) => {
    const albumId = parseId(req.params.albumId, 'albumId');
    const { quantity, bin } = parseInput(stockSchema, req.body);
    res.json(await warehouse.setStock(albumId, quantity, bin));
  });

  return router;
}
