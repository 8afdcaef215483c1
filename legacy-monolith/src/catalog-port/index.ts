// The catalog port: how finance, warehouse and recommendation read catalog data (branch by abstraction).
import type { Knex } from 'knex';
import type { CatalogSwitch } from '../config';
import type { CatalogPort } from './catalog-port';
import { DatabaseCatalogAdapter } from './database-adapter';
import { HttpCatalogAdapter } from './http-adapter';

export type { AlbumPage, CatalogAlbum, CatalogPort } from './catalog-port';
export { MAX_PAGE_SIZE } from './catalog-port';
export { DatabaseCatalogAdapter } from './database-adapter';
export { HttpCatalogAdapter } from './http-adapter';

/** CATALOG_ADAPTER=database (default) reads the monolith's tables; http asks the catalog service. */
export function createCatalogPort(
  db: Knex,
  choice: CatalogSwitch = { adapter: 'database' },
): CatalogPort {
  if (choice.adapter === 'http')
    return new HttpCatalogAdapter({ baseUrl: choice.url, timeoutMs: choice.timeoutMs });
  return new DatabaseCatalogAdapter(db);
}
