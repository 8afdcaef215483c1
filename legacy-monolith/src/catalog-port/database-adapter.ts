import type { Knex } from 'knex';
import { toNumber } from '../../../common/src/database';
import { type AlbumRow, toAlbumSummary } from '../catalog';
import type { AlbumPage, CatalogAlbum, CatalogPort } from './catalog-port';

const ALBUMS = 'albums';
const ARTISTS = 'artists';
// Keeps each `where id in (…)` well under SQLite's bound-variable limit.
const IDS_PER_QUERY = 500;

/**
 * The legacy adapter: reads catalog's `albums` and `artists` straight from the monolith's
 * database, as finance, warehouse and recommendation did before the port existed.
 */
export class DatabaseCatalogAdapter implements CatalogPort {
  constructor(private readonly db: Knex) {}

  private selectAlbums(): Knex.QueryBuilder {
    return this.db(ALBUMS)
      .join(ARTISTS, 'artists.id', 'albums.artist_id')
      .select(
        'albums.id',
        'albums.title',
        'albums.artist_id',
        'artists.name as artist_name',
        'albums.genre',
        'albums.release_year',
        'albums.price_cents',
      );
  }

  async findAlbums(ids: readonly number[]): Promise<Map<number, CatalogAlbum>> {
    const unique = [...new Set(ids)];
    const found = new Map<number, CatalogAlbum>();
    for (let i = 0; i < unique.length; i += IDS_PER_QUERY) {
      const rows: AlbumRow[] = await this.selectAlbums().whereIn(
        'albums.id',
        unique.slice(i, i + IDS_PER_QUERY),
      );
      for (const row of rows) found.set(Number(row.id), toAlbumSummary(row));
    }
    return found;
  }

  async listAlbumsInGenre(genre: string, page: number, pageSize: number): Promise<AlbumPage> {
    const inGenre = (query: Knex.QueryBuilder) =>
      query.whereRaw('lower(albums.genre) = ?', [genre.toLowerCase()]);
    const [counted] = await inGenre(this.db(ALBUMS)).count({ total: '*' });
    const rows: AlbumRow[] = await inGenre(this.selectAlbums())
      .orderBy('albums.id')
      .limit(pageSize)
      .offset((page - 1) * pageSize);
    return { items: rows.map(toAlbumSummary), total: toNumber(counted?.total) };
  }
}
