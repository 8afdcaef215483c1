import type { AlbumSummary } from '../catalog';

/** An album as the other contexts need it: the catalog's summary (the same shape as GET /catalog/albums items). */
export type CatalogAlbum = AlbumSummary;

export interface AlbumPage {
  items: CatalogAlbum[];
  total: number;
}

/**
 * What finance, warehouse and recommendation may ask the catalog (branch by abstraction):
 * the `database` adapter answers from the monolith's own tables, the `http` adapter from
 * the catalog service. Both pass test/catalog-port-contract.test.ts.
 */
export interface CatalogPort {
  /** Albums by id, in one batch; ids the catalog does not know are absent from the map. */
  findAlbums(ids: readonly number[]): Promise<Map<number, CatalogAlbum>>;
  /** One page of a genre's albums (genre in any case), by id. `page` starts at 1; `pageSize` is 1–100. */
  listAlbumsInGenre(genre: string, page: number, pageSize: number): Promise<AlbumPage>;
}

/** The most albums one port call pages over; the catalog service's own page limit. */
export const MAX_PAGE_SIZE = 100;
