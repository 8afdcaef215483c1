import type { Knex } from 'knex';
import type { AlbumRow } from '../catalog';

export type Database = Knex;

export interface RankedAlbumRow extends AlbumRow {
  units: unknown;
}

// Planted seam 6: recommendation reads warehouse (orders, order_lines), catalog (albums, artists)
// and customer (customers) tables directly instead of asking those contexts.
export class RecommendationRepository {
  constructor(private readonly db: Knex) {}

  async customerExists(customerId: number): Promise<boolean> {
    const row = await this.db('customers').select('id').where({ id: customerId }).first();
    return Boolean(row);
  }

  async listPurchasedGenres(customerId: number): Promise<string[]> {
    const rows: { genre: string }[] = await this.db('orders')
      .join('order_lines', 'order_lines.order_id', 'orders.id')
      .join('albums', 'albums.id', 'order_lines.album_id')
      .distinct('albums.genre')
      .where('orders.customer_id', customerId)
      .orderBy('albums.genre');
    return rows.map((row) => row.genre);
  }

  /** Albums of the given genres the customer never ordered, most sold first. */
  async listPopularUnowned(customerId: number, genres: string[], limit: number): Promise<RankedAlbumRow[]> {
    const owned = this.db('order_lines')
      .join('orders', 'orders.id', 'order_lines.order_id')
      .select('order_lines.album_id')
      .where('orders.customer_id', customerId);
    return this.rankedAlbums().whereIn('albums.genre', genres).whereNotIn('albums.id', owned).limit(limit);
  }

  /** Other albums of a genre, most sold first. */
  async listPopularInGenre(genre: string, excludeAlbumId: number, limit: number): Promise<RankedAlbumRow[]> {
    return this.rankedAlbums().where('albums.genre', genre).whereNot('albums.id', excludeAlbumId).limit(limit);
  }

  private rankedAlbums(): Knex.QueryBuilder {
    const sales = this.db('order_lines')
      .join('orders', 'orders.id', 'order_lines.order_id')
      .whereNot('orders.status', 'returned')
      .select('order_lines.album_id')
      .sum({ units: 'order_lines.quantity' })
      .groupBy('order_lines.album_id')
      .as('sales');
    return this.db('albums')
      .join('artists', 'artists.id', 'albums.artist_id')
      .leftJoin(sales, 'sales.album_id', 'albums.id')
      .select(
        'albums.id',
        'albums.title',
        'albums.artist_id',
        'artists.name as artist_name',
        'albums.genre',
        'albums.release_year',
        'albums.price_cents',
        this.db.raw('coalesce(sales.units, 0) as units'),
      )
      .orderByRaw('coalesce(sales.units, 0) desc')
      .orderBy('albums.id');
  }
}
