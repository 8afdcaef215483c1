import type { Knex } from 'knex';
import { toNumber } from '../../../common/src/database';
import { offsetOf, type Paging } from '../http/paging';

export type Database = Knex;
export type Transaction = Knex.Transaction;

const ORDERS = 'orders';
const ORDER_LINES = 'order_lines';
const STOCK = 'stock';
const PICK_INSTRUCTIONS = 'pick_instructions';

// payment_pending, refund_pending and cancelled only occur with FINANCE_MODE=service (the order saga).
export type OrderStatus =
  | 'placed'
  | 'dispatched'
  | 'returned'
  | 'payment_pending'
  | 'refund_pending'
  | 'cancelled';

export interface OrderRow {
  id: number;
  customer_id: number;
  country_code: string;
  status: OrderStatus;
  subtotal_cents: number;
  tax_cents: number;
  total_cents: number;
  placed_at: string;
  dispatched_at: string | null;
  returned_at: string | null;
}

export interface OrderLineRow {
  order_id: number;
  album_id: number;
  quantity: number;
  unit_price_cents: number;
}

export interface StockRow {
  album_id: number;
  quantity: number;
  bin: string;
}

export class WarehouseRepository {
  constructor(private readonly db: Knex) {}

  async transaction<T>(work: (trx: Transaction) => Promise<T>): Promise<T> {
    return this.db.transaction(work);
  }

  // Planted seam 4: warehouse reads the shared countries table for the tax rate.
  async findTaxRate(countryCode: string): Promise<number | undefined> {
    const row = await this.db('countries')
      .select('tax_rate_bp')
      .where({ code: countryCode })
      .first();
    return row ? Number(row.tax_rate_bp) : undefined;
  }

  async findStock(albumId: number): Promise<StockRow | undefined> {
    return this.db(STOCK)
      .select('album_id', 'quantity', 'bin')
      .where({ album_id: albumId })
      .first();
  }

  async upsertStock(row: StockRow): Promise<void> {
    await this.db(STOCK).insert(row).onConflict('album_id').merge(['quantity', 'bin']);
  }

  /** Takes stock only if enough is left, in one statement, so concurrent orders cannot oversell. */
  async decrementStock(
    trx: Transaction,
    albumId: number,
    quantity: number,
  ): Promise<string | undefined> {
    const taken = await trx(STOCK)
      .where('album_id', albumId)
      .andWhere('quantity', '>=', quantity)
      .decrement('quantity', quantity);
    if (taken === 0) return undefined;
    const row = await trx(STOCK).select('bin').where({ album_id: albumId }).first();
    return row.bin;
  }

  async restock(trx: Transaction, albumId: number, quantity: number): Promise<void> {
    const updated = await trx(STOCK).where('album_id', albumId).increment('quantity', quantity);
    if (updated === 0) await trx(STOCK).insert({ album_id: albumId, quantity, bin: 'RETURNS' });
  }

  async insertOrder(trx: Transaction, order: Omit<OrderRow, 'id'>): Promise<number> {
    const [inserted] = await trx(ORDERS).insert(order).returning('id');
    return Number(typeof inserted === 'object' ? inserted.id : inserted);
  }

  async insertOrderLines(trx: Transaction, lines: OrderLineRow[]): Promise<void> {
    await trx(ORDER_LINES).insert(lines);
  }

  async insertPickInstructions(
    trx: Transaction,
    picks: { order_id: number; album_id: number; quantity: number; bin: string }[],
  ): Promise<void> {
    await trx(PICK_INSTRUCTIONS).insert(picks.map((pick) => ({ ...pick, status: 'pending' })));
  }

  /** Moves an order from one status to the next; false when it was not in `from` (a race or a wrong state). */
  async changeStatus(
    trx: Transaction,
    orderId: number,
    from: OrderStatus,
    to: OrderStatus,
    changes: Partial<OrderRow>,
  ): Promise<boolean> {
    const updated = await trx(ORDERS)
      .where({ id: orderId, status: from })
      .update({ ...changes, status: to });
    return updated > 0;
  }

  async markPicked(trx: Transaction, orderId: number): Promise<void> {
    await trx(PICK_INSTRUCTIONS).where({ order_id: orderId }).update({ status: 'picked' });
  }

  async cancelPicks(trx: Transaction, orderId: number): Promise<void> {
    await trx(PICK_INSTRUCTIONS)
      .where({ order_id: orderId, status: 'pending' })
      .update({ status: 'cancelled' });
  }

  /** Orders a saga left in a pending status before `before` (ISO), oldest first. */
  async listStuckOrders(
    status: 'payment_pending' | 'refund_pending',
    before: string,
  ): Promise<OrderRow[]> {
    const since = status === 'payment_pending' ? 'placed_at' : 'returned_at';
    return this.db(ORDERS).select('*').where({ status }).andWhere(since, '<', before).orderBy('id');
  }

  async findOrder(orderId: number, trx: Knex = this.db): Promise<OrderRow | undefined> {
    return trx(ORDERS).select('*').where({ id: orderId }).first();
  }

  async listOrdersOf(
    customerId: number,
    paging: Paging,
  ): Promise<{ rows: OrderRow[]; total: number }> {
    const [counted] = await this.db(ORDERS)
      .where({ customer_id: customerId })
      .count({ total: '*' });
    const rows = await this.db(ORDERS)
      .select('*')
      .where({ customer_id: customerId })
      .orderBy('id')
      .limit(paging.pageSize)
      .offset(offsetOf(paging));
    return { rows, total: toNumber(counted?.total) };
  }

  async listLines(orderIds: number[]): Promise<OrderLineRow[]> {
    if (orderIds.length === 0) return [];
    return this.db(ORDER_LINES)
      .select('order_id', 'album_id', 'quantity', 'unit_price_cents')
      .whereIn('order_id', orderIds)
      .orderBy('id');
  }
}
