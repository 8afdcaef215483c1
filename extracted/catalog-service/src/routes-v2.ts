import { Router } from 'express';
import { parseId, parseInput } from './http/validation';
import { albumQuerySchema } from './routes';
import type { AlbumDetail, AlbumSummary, CatalogService, Page } from './service';

/** The shop's one currency: prices are stored in its minor unit (cents). */
export const CURRENCY = 'EUR';

/** v2's breaking change: a price is an amount (a decimal string, never a float) and a currency. */
export interface Price {
  amount: string;
  currency: string;
}

export type AlbumSummaryV2 = Omit<AlbumSummary, 'priceCents'> & { price: Price };
export type AlbumDetailV2 = Omit<AlbumDetail, 'priceCents' | 'youMayAlsoLike'> & {
  price: Price;
  youMayAlsoLike: AlbumSummaryV2[];
};

export function toPrice(cents: number): Price {
  const whole = Math.floor(cents / 100);
  return { amount: `${whole}.${String(cents % 100).padStart(2, '0')}`, currency: CURRENCY };
}

function summaryV2({ priceCents, ...rest }: AlbumSummary): AlbumSummaryV2 {
  return { ...rest, price: toPrice(priceCents) };
}

function detailV2({ priceCents, youMayAlsoLike, ...rest }: AlbumDetail): AlbumDetailV2 {
  return { ...rest, price: toPrice(priceCents), youMayAlsoLike: youMayAlsoLike.map(summaryV2) };
}

/**
 * v2 of the albums resource, served beside v1 (routes.ts), which does not change: the same
 * service calls, another representation. Writes stay on v1 until a consumer needs them in v2.
 */
export function catalogRoutesV2(service: CatalogService): Router {
  const router = Router();

  router.get('/v2/catalog/albums', async (req, res) => {
    const { page, pageSize, ...filter } = parseInput(albumQuerySchema, req.query, 'query');
    const list: Page<AlbumSummary> = await service.listAlbums(filter, page, pageSize);
    res.json({ ...list, items: list.items.map(summaryV2) });
  });

  router.get('/v2/catalog/albums/:id', async (req, res) => {
    res.json(detailV2(await service.getAlbum(parseId(req.params.id))));
  });

  return router;
}
