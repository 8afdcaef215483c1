import type { Knex } from 'knex';

export type Database = Knex;

export interface AlbumSales {
  albumId: number;
  units: number;
}

// Orders that never completed do not count as purchases or sales.
const NOT_BOUGHT = ['cancelled', 'payment_pending'];

// Planted seam 6: recommendation reads warehouse (orders, order_lines) and customer (customers) tables
// directly instead of asking those contexts. Catalog's albums and artists it now reads through the catalog port.
export class RecommendationRepository {
  constructor(private readonly db: Knex) {}

  async customerExists(customerId: number): Promise<boolean> {
    const row = await this.db('customers').select('id').where({ id: customerId }).first();
    return Boolean(row);
  }

  /** Every album the customer has ordered (returned orders included: they still say what the customer likes). */
  async listPurchasedAlbumIds(customerId: number): Promise<number[]> {
    const rows: { album_id: number }[] = await this.db('orders')
      .join('order_lines', 'order_lines.order_id', 'orders.id')
      .distinct('order_lines.album_id')
      .where('orders.customer_id', customerId)
      .whereNotIn('orders.status', NOT_BOUGHT)
      .orderBy('order_lines.album_id');
    return rows.map((row) => Number(row.album_id));
  }

  /** Units sold per album on orders that were not returned, most sold first (then album id). */
  async rankSales(): Promise<AlbumSales[]> {
    const rows = (await this.db('order_lines')
      .join('orders', 'orders.id', 'order_lines.order_id')
      .whereNotIn('orders.status', ['returned', ...NOT_BOUGHT])
      .select('order_lines.album_id')
      .sum({ units: 'order_lines.quantity' })
      .groupBy('order_lines.album_id')
      .orderBy([{ column: 'units', order: 'desc' }, { column: 'order_lines.album_id' }])) as {
      album_id: number;
      units: unknown;
    }[];
    return rows.map((row) => ({ albumId: Number(row.album_id), units: Number(row.units) }));
  }
}
