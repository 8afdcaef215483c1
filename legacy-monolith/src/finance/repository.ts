import type { Knex } from 'knex';
import { toNumber } from '../../../common/src/database';
import { offsetOf, Paging } from '../http/paging';

export type Database = Knex;
export type Transaction = Knex.Transaction;

const LEDGER_ENTRIES = 'ledger_entries';
const LEDGER_LINES = 'ledger_lines';

// Refund lines carry a positive quantity and a negative amount, so units sold are netted by kind.
const NET_UNITS = "case when ledger_entries.kind = 'refund' then -ledger_lines.quantity else ledger_lines.quantity end";

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

  async listEntries(filter: { orderId?: number; kind?: LedgerKind }, paging: Paging): Promise<{ rows: LedgerEntryRow[]; total: number }> {
    const matching = this.db(LEDGER_ENTRIES);
    if (filter.orderId) matching.where('order_id', filter.orderId);
    if (filter.kind) matching.where('kind', filter.kind);
    const [counted] = await matching.clone().count({ total: '*' });
    const rows = await matching.select('*').orderBy('id').limit(paging.pageSize).offset(offsetOf(paging));
    return { rows, total: toNumber(counted?.total) };
  }

  async listLines(entryIds: number[]): Promise<LedgerLineRow[]> {
    if (entryIds.length === 0) return [];
    return this.db(LEDGER_LINES).select('ledger_entry_id', 'album_id', 'quantity', 'amount_cents').whereIn('ledger_entry_id', entryIds).orderBy('id');
  }

  async listEntriesOfOrder(orderId: number): Promise<LedgerEntryRow[]> {
    return this.db(LEDGER_ENTRIES).select('*').where({ order_id: orderId }).orderBy('id');
  }

  // Planted seam 1 (as in bestSellers): invoice lines take album titles straight from catalog's albums table.
  async listInvoiceLines(entryId: number): Promise<{ album_id: number; title: string; quantity: number; amount_cents: number }[]> {
    return this.db(LEDGER_LINES)
      .join('albums', 'albums.id', 'ledger_lines.album_id')
      .select('ledger_lines.album_id', 'albums.title', 'ledger_lines.quantity', 'ledger_lines.amount_cents')
      .where('ledger_lines.ledger_entry_id', entryId)
      .orderBy('ledger_lines.id');
  }

  // Planted seam 1: the report joins catalog's albums table directly (ledger_lines.album_id has an FK to it).
  async bestSellers(query: BestSellerQuery): Promise<{ album_id: number; title: string; genre: string; units: unknown; revenue_cents: unknown }[]> {
    const rows = this.db(LEDGER_LINES)
      .join(LEDGER_ENTRIES, 'ledger_entries.id', 'ledger_lines.ledger_entry_id')
      .join('albums', 'albums.id', 'ledger_lines.album_id')
      .select(
        'albums.id as album_id',
        'albums.title',
        'albums.genre',
        this.db.raw(`sum(${NET_UNITS}) as units`),
        this.db.raw('sum(ledger_lines.amount_cents) as revenue_cents'),
      )
      .where('ledger_entries.recorded_at', '>=', query.from)
      .where('ledger_entries.recorded_at', '<', query.until)
      .groupBy('albums.id', 'albums.title', 'albums.genre')
      .havingRaw(`sum(${NET_UNITS}) > 0`)
      .orderBy(query.by === 'units' ? 'units' : 'revenue_cents', 'desc')
      .orderBy('albums.id')
      .limit(query.limit);
    if (query.genre) rows.whereRaw('lower(albums.genre) = ?', [query.genre.toLowerCase()]);
    return rows;
  }

  // Planted seam 4: finance reads the shared countries table for names and tax rates.
  async revenueByCountry(range: TimeRange): Promise<{ country_code: string; country_name: string; tax_rate_bp: number; revenue_cents: unknown; tax_cents: unknown }[]> {
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
