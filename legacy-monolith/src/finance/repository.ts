import type { Knex } from 'knex';
import { toNumber } from '../../../common/src/database';
import { offsetOf, type Paging } from '../http/paging';

export type Database = Knex;
export type Transaction = Knex.Transaction;

const LEDGER_ENTRIES = 'ledger_entries';
const LEDGER_LINES = 'ledger_lines';

// Refund lines carry a positive quantity and a negative amount, so units sold are netted by kind.
const NET_UNITS =
  "case when ledger_entries.kind = 'refund' then -ledger_lines.quantity else ledger_lines.quantity end";

export type LedgerKind = 'payment' | 'refund';

export interface LedgerEntryRow {
  id: number;
  order_id: number;
  customer_id: number;
  kind: LedgerKind;
  amount_cents: number;
  tax_cents: number;
  country_code: string;
  recorded_at: string;
}

export interface LedgerLineRow {
  ledger_entry_id: number;
  album_id: number;
  quantity: number;
  amount_cents: number;
}

/** Half-open ISO timestamp range [from, until). */
export interface TimeRange {
  from: string;
  until: string;
}

export interface BestSellerQuery extends TimeRange {
  by: 'revenue' | 'units';
  genre?: string;
  limit: number;
}

export class FinanceRepository {
  constructor(private readonly db: Knex) {}

  async insertLedgerEntry(trx: Transaction, entry: Omit<LedgerEntryRow, 'id'>): Promise<number> {
    const [inserted] = await trx(LEDGER_ENTRIES).insert(entry).returning('id');
    return Number(typeof inserted === 'object' ? inserted.id : inserted);
  }

  async insertLedgerLines(trx: Transaction, lines: LedgerLineRow[]): Promise<void> {
    if (lines.length > 0) await trx(LEDGER_LINES).insert(lines);
  }

  async listEntries(
    filter: { orderId?: number; kind?: LedgerKind },
    paging: Paging,
  ): Promise<{ rows: LedgerEntryRow[]; total: number }> {
    const matching = this.db(LEDGER_ENTRIES);
    if (filter.orderId) matching.where('order_id', filter.orderId);
    if (filter.kind) matching.where('kind', filter.kind);
    const [counted] = await matching.clone().count({ total: '*' });
    const rows = await matching
      .select('*')
      .orderBy('id')
      .limit(paging.pageSize)
      .offset(offsetOf(paging));
    return { rows, total: toNumber(counted?.total) };
  }

  async listLines(entryIds: number[]): Promise<LedgerLineRow[]> {
    if (entryIds.length === 0) return [];
    return this.db(LEDGER_LINES)
      .select('ledger_entry_id', 'album_id', 'quantity', 'amount_cents')
      .whereIn('ledger_entry_id', entryIds)
      .orderBy('id');
  }

  async listEntriesOfOrder(orderId: number): Promise<LedgerEntryRow[]> {
    return this.db(LEDGER_ENTRIES).select('*').where({ order_id: orderId }).orderBy('id');
  }

  // Titles used to come from a join with catalog's albums (seam 1); FinanceService now asks the catalog port.
  async listInvoiceLines(
    entryId: number,
  ): Promise<{ album_id: number; quantity: number; amount_cents: number }[]> {
    return this.db(LEDGER_LINES)
      .select('album_id', 'quantity', 'amount_cents')
      .where('ledger_entry_id', entryId)
      .orderBy('id');
  }

  /**
   * Net units and revenue per album over a time range, albums with net units > 0 only. The join with
   * catalog's albums (seam 1) moved into the catalog port: titles, genres and the genre filter come from there.
   */
  async salesByAlbum(
    range: TimeRange,
  ): Promise<{ album_id: number; units: unknown; revenue_cents: unknown }[]> {
    return this.db(LEDGER_LINES)
      .join(LEDGER_ENTRIES, 'ledger_entries.id', 'ledger_lines.ledger_entry_id')
      .select(
        'ledger_lines.album_id',
        this.db.raw(`sum(${NET_UNITS}) as units`),
        this.db.raw('sum(ledger_lines.amount_cents) as revenue_cents'),
      )
      .where('ledger_entries.recorded_at', '>=', range.from)
      .where('ledger_entries.recorded_at', '<', range.until)
      .groupBy('ledger_lines.album_id')
      .havingRaw(`sum(${NET_UNITS}) > 0`);
  }

  // Planted seam 4: finance reads the shared countries table for names and tax rates.
  async revenueByCountry(range: TimeRange): Promise<
    {
      country_code: string;
      country_name: string;
      tax_rate_bp: number;
      revenue_cents: unknown;
      tax_cents: unknown;
    }[]
  > {
    const result = await this.db.raw(
      `select c.code as country_code, c.name as country_name, c.tax_rate_bp,
              sum(e.amount_cents - e.tax_cents) as revenue_cents, sum(e.tax_cents) as tax_cents
         from ledger_entries e
         join countries c on c.code = e.country_code
        where e.recorded_at >= ? and e.recorded_at < ?
        group by c.code, c.name, c.tax_rate_bp
        order by revenue_cents desc, c.code`,
      [range.from, range.until],
    );
    // pg wraps rows in a result object; better-sqlite3 returns the array itself.
    return Array.isArray(result) ? result : result.rows;
  }
}
