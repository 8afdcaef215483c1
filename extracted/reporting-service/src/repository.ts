import type { Knex } from 'knex';
import { toNumber } from '../../../common/src/database';
import type { TimeRange } from './date-range';

const ORDERS = 'report_orders';
const SALES = 'report_sales';
const SALE_LINES = 'report_sale_lines';

// Refund lines keep a positive quantity and a negative amount, as in finance's ledger.
const NET_UNITS = `case when ${SALES}.kind = 'refund' then -${SALE_LINES}.quantity else ${SALE_LINES}.quantity end`;

export interface Sale {
  orderId: number;
  kind: 'payment' | 'refund';
  countryCode: string;
  amountCents: number;
  taxCents: number;
  recordedAt: string;
  lines: { albumId: number; quantity: number; amountCents: number }[];
}

export type OrderFacts = {
  orderId: number;
  customerId: number;
  countryCode?: string;
  status: 'placed' | 'dispatched' | 'returned';
} & Partial<Record<'placed_at' | 'dispatched_at' | 'returned_at', string>>;

/** The only file of the reporting service that touches knex. */
export class ReportingRepository {
  constructor(private readonly db: Knex) {}

  /** One row per order, whatever order its events arrive in; a later status never goes back. */
  async upsertOrder(trx: Knex.Transaction, facts: OrderFacts): Promise<void> {
    const rank = { placed: 1, dispatched: 2, returned: 3 } as const;
    const existing = await trx(ORDERS).where({ order_id: facts.orderId }).first();
    const times = {
      ...(facts.placed_at ? { placed_at: facts.placed_at } : {}),
      ...(facts.dispatched_at ? { dispatched_at: facts.dispatched_at } : {}),
      ...(facts.returned_at ? { returned_at: facts.returned_at } : {}),
    };
    if (!existing) {
      await trx(ORDERS).insert({
        order_id: facts.orderId,
        customer_id: facts.customerId,
        country_code: facts.countryCode ?? null,
        status: facts.status,
        ...times,
      });
      return;
    }
    const status =
      rank[facts.status] > rank[existing.status as keyof typeof rank]
        ? facts.status
        : existing.status;
    await trx(ORDERS)
      .where({ order_id: facts.orderId })
      .update({
        status,
        ...times,
        ...(facts.countryCode ? { country_code: facts.countryCode } : {}),
      });
  }

  /** Records a payment or refund; a second one of the same kind for an order is refused (unique key). */
  async insertSale(trx: Knex.Transaction, sale: Sale): Promise<void> {
    const [inserted] = await trx(SALES)
      .insert({
        order_id: sale.orderId,
        kind: sale.kind,
        country_code: sale.countryCode,
        amount_cents: sale.amountCents,
        tax_cents: sale.taxCents,
        recorded_at: sale.recordedAt,
      })
      .returning('id');
    const saleId = Number(typeof inserted === 'object' ? inserted.id : inserted);
    if (sale.lines.length > 0)
      await trx(SALE_LINES).insert(
        sale.lines.map((line) => ({
          sale_id: saleId,
          album_id: line.albumId,
          quantity: line.quantity,
          amount_cents: line.amountCents,
        })),
      );
  }

  async revenueByCountry(range: TimeRange) {
    const rows = await this.db(SALES)
      .select(
        'country_code',
        this.db.raw('sum(amount_cents - tax_cents) as revenue_cents'),
        this.db.raw('sum(tax_cents) as tax_cents'),
      )
      .where('recorded_at', '>=', range.from)
      .where('recorded_at', '<', range.until)
      .groupBy('country_code');
    return rows.map((row) => ({
      countryCode: row.country_code as string,
      revenueCents: toNumber(row.revenue_cents),
      taxCents: toNumber(row.tax_cents),
    }));
  }

  async salesByAlbum(range: TimeRange) {
    const rows = await this.db(SALE_LINES)
      .join(SALES, `${SALES}.id`, `${SALE_LINES}.sale_id`)
      .select(
        `${SALE_LINES}.album_id`,
        this.db.raw(`sum(${NET_UNITS}) as units`),
        this.db.raw(`sum(${SALE_LINES}.amount_cents) as revenue_cents`),
      )
      .where(`${SALES}.recorded_at`, '>=', range.from)
      .where(`${SALES}.recorded_at`, '<', range.until)
      .groupBy(`${SALE_LINES}.album_id`)
      .havingRaw(`sum(${NET_UNITS}) > 0`);
    return rows.map((row) => ({
      albumId: Number(row.album_id),
      units: toNumber(row.units),
      revenueCents: toNumber(row.revenue_cents),
    }));
  }

  async counts(): Promise<{ orders: number; sales: number }> {
    const [orders] = await this.db(ORDERS).count({ n: '*' });
    const [sales] = await this.db(SALES).count({ n: '*' });
    return { orders: toNumber(orders?.n), sales: toNumber(sales?.n) };
  }
}
