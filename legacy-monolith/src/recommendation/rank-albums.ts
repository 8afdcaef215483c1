import { type CatalogAlbum, type CatalogPort, MAX_PAGE_SIZE } from '../catalog-port';
import type { AlbumSales } from './repository';

export interface RankRequest {
  genres: string[];
  /** Albums never to suggest (the customer's own, the album being shown). */
  exclude: ReadonlySet<number>;
  limit: number;
}

/**
 * Albums of the given genres, most sold first, then unsold ones by id. Sales come from the
 * monolith's order tables, album data from the catalog port, so this works on either adapter.
 */
export async function rankAlbums(
  catalog: CatalogPort,
  sales: AlbumSales[],
  request: RankRequest,
): Promise<CatalogAlbum[]> {
  const wanted = new Set(request.genres.map((genre) => genre.toLowerCase()));
  const fits = (album: CatalogAlbum | undefined): album is CatalogAlbum =>
    Boolean(album) && wanted.has(album!.genre.toLowerCase()) && !request.exclude.has(album!.id);
  const picked: CatalogAlbum[] = [];
  const candidates = sales.filter((s) => !request.exclude.has(s.albumId));
  for (let i = 0; i < candidates.length && picked.length < request.limit; i += MAX_PAGE_SIZE) {
    const chunk = candidates.slice(i, i + MAX_PAGE_SIZE);
    const albums = await catalog.findAlbums(chunk.map((s) => s.albumId));
    for (const s of chunk) {
      const album = albums.get(s.albumId);
      if (fits(album) && picked.length < request.limit) picked.push(album);
    }
  }
  if (picked.length === request.limit) return picked;
  const sold = new Set(sales.map((s) => s.albumId));
  const unsold = await listUnsold(
    catalog,
    [...wanted],
    (album) => fits(album) && !sold.has(album.id),
    request.limit - picked.length,
  );
  return [...picked, ...unsold];
}

/** The first `limit` albums by id over several genres: the first `limit` of each genre, merged. */
async function listUnsold(
  catalog: CatalogPort,
  genres: string[],
  keep: (album: CatalogAlbum) => boolean,
  limit: number,
): Promise<CatalogAlbum[]> {
  const found: CatalogAlbum[] = [];
  for (const genre of genres) {
    let kept = 0;
    for (let page = 1; kept < limit; page++) {
      const { items, total } = await catalog.listAlbumsInGenre(genre, page, MAX_PAGE_SIZE);
      for (const album of items) {
        if (kept < limit && keep(album)) {
          found.push(album);
          kept++;
        }
      }
      if (items.length === 0 || page * MAX_PAGE_SIZE >= total) break;
    }
  }
  return found.sort((a, b) => a.id - b.id).slice(0, limit);
}
