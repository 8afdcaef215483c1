import { Router } from 'express';
import { z } from 'zod';
import { pagingSchema } from '../http/paging';
import { integerField, integerText, parseId, parseInput, textField } from '../http/validation';
import type { CatalogService } from './service';

const albumQuerySchema = pagingSchema.extend({
  genre: z.string().max(50).optional(),
  artistId: integerText(1).optional(),
  q: z.string().max(100, 'must be at most 100 characters').optional(),
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

export function createCatalogRouter(catalog: CatalogService): Router {
  const router = Router();

  router.get('/catalog/albums', async (req, res) => {
    const { page, pageSize, ...filter } = parseInput(albumQuerySchema, req.query, 'query');
    res.json(await catalog.listAlbums(filter, { page, pageSize }));
  });

  router.get('/catalog/albums/:id', async (req, res) => {
    res.json(await catalog.getAlbum(parseId(req.params.id)));
  });

  router.post('/catalog/albums', async (req, res) => {
    res.status(201).json(await catalog.createAlbum(parseInput(newAlbumSchema, req.body)));
  });

  router.patch('/catalog/albums/:id/price', async (req, res) => {
    const id = parseId(req.params.id);
    const body = parseInput(z.object({ priceCents }), req.body);
    res.json(await catalog.changePrice(id, body.priceCents));
  });

  router.get('/catalog/artists', async (req, res) => {
    res.json(await catalog.listArtists(parseInput(pagingSchema, req.query, 'query')));
  });

  router.post('/catalog/artists', async (req, res) => {
    const { name } = parseInput(z.object({ name: textField(200) }), req.body);
    res.status(201).json(await catalog.createArtist(name));
  });

  router.get('/catalog/artists/:id', async (req, res) => {
    res.json(await catalog.getArtist(parseId(req.params.id)));
  });

  return router;
}
