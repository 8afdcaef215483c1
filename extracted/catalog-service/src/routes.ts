import { Router } from 'express';
import { z } from 'zod';
import {
  integerField,
  integerText,
  MAX_PAGE_SIZE,
  pagingSchema,
  parseId,
  parseInput,
  textField,
} from './http/validation';
import type { CatalogService } from './service';

/** An extension the monolith lacks: `ids=1,2,3` (≤ 100) lets the finance service look albums up in one call. */
const idList = z
  .string()
  .regex(
    /^\d{1,10}(,\d{1,10}){0,99}$/,
    `expected up to ${MAX_PAGE_SIZE} comma-separated whole numbers (example: ids=1,2,3)`,
  )
  .transform((text) => text.split(',').map(Number));

export const albumQuerySchema = pagingSchema.extend({
  genre: z.string().max(50).optional(),
  artistId: integerText(1).optional(),
  q: z.string().max(100, 'must be at most 100 characters').optional(),
  ids: idList.optional(),
});

const priceCents = integerField(0, 1_000_000);

const newAlbumSchema = z.object({
  title: textField(200),
  artistId: integerField(1, 2_147_483_647),
  genre: textField(50),
  releaseYear: integerField(1900, 2100),
  priceCents,
  tracks: z
    .array(z.object({ title: textField(200), durationSeconds: integerField(1, 86_400) }))
    .max(200)
    .default([]),
});

/** The catalog's HTTP edge: parse, call the service, respond. Paths, bodies and errors match the monolith's /catalog. */
export function catalogRoutes(service: CatalogService): Router {
  const router = Router();

  router.get('/catalog/albums', async (req, res) => {
    const { page, pageSize, ...filter } = parseInput(albumQuerySchema, req.query, 'query');
    res.json(await service.listAlbums(filter, page, pageSize));
  });

  router.get('/catalog/albums/:id', async (req, res) => {
    res.json(await service.getAlbum(parseId(req.params.id)));
  });

  router.post('/catalog/albums', async (req, res) => {
    res.status(201).json(await service.createAlbum(parseInput(newAlbumSchema, req.body)));
  });

  router.patch('/catalog/albums/:id/price', async (req, res) => {
    const id = parseId(req.params.id);
    const { priceCents: price } = parseInput(z.object({ priceCents }), req.body);
    res.json(await service.changePrice(id, price));
  });

  router.get('/catalog/artists', async (req, res) => {
    const { page, pageSize } = parseInput(pagingSchema, req.query, 'query');
    res.json(await service.listArtists(page, pageSize));
  });

  router.post('/catalog/artists', async (req, res) => {
    const { name } = parseInput(z.object({ name: textField(200) }), req.body);
    res.status(201).json(await service.createArtist(name));
  });

  router.get('/catalog/artists/:id', async (req, res) => {
    res.json(await service.getArtist(parseId(req.params.id)));
  });

  return router;
}
