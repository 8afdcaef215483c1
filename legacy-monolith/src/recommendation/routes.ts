import { Router } from 'express';
import { z } from 'zod';
import { integerText, parseId, parseInput } from '../http/validation';
import type { RecommendationService } from './service';

const querySchema = z.object({ limit: integerText(1, 50).default(5) });

export function createRecommendationRouter(recommendations: RecommendationService): Router {
  const router = Router();

  router.get('/recommendations/:customerId', async (req, res) => {
    const customerId = parseId(req.params.customerId, 'customerId');
    const { limit } = parseInput(querySchema, req.query, 'query');
    res.json(await recommendations.recommendForCustomer(customerId, limit));
  });

  return router;
}
