import type { Knex } from 'knex';
import { toNumber } from '../../../common/src/database';

const LEDGER_ENTRIES = 'ledger_entries';
const LEDGER_LINES = 'ledger_lines';
const VOIDED_PAYMENTS = 'voided_payments';

// Refund lines carry a positive quantity and a negative amount, so units sold are netted by kind (as in the monolith).
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

/** The only file of the finance service that touches knex. Albums are NOT here: they live in the catalog service. */
export class FinanceRepository {
  constructor(private readonly db: Knex) {}

  async findEntry(orderId: number, kind: LedgerKind): Promise<LedgerEntryRow | undefined> {
    return this.db(LEDGER_ENTRIES).where({ order_id: orderId, kind }).first();
  }

  /** The entry and its lines in one transaction; the unique (order_id, kind) index makes a concurrent duplicate fail. */
  async insertEntry(
    entry: Omit<LedgerEntryRow, 'id'>,
    lines: Omit<LedgerLineRow, 'ledger_entry_id'>[],
  ): Promise<number> {
    return this.db.transaction(async (trx) => {
      const [inserted] = await trx(LEDGER_ENTRIES).insert(entry).returning('id');
      const id = toNumber(typeof inserted === 'object' ? inserted.id : inserted);
      if (lines.length > 0)
        await trx(LEDGER_LINES).insert(lines.map((line) => ({ ...line, ledger_entry_id: id })));
      return id;
    });
  }

  async countryExists(code: string): Promise<boolean> {
    return Boolean(await this.db('countries').where({ code }).first('code'));
  }

  async findVoid(orderId: number): Promise<{ voided_at: string } | undefined> {
    return this.db(VOIDED_PAYMENTS).where({ order_id: orderId }).first('voided_at');
  }

  /** Remembers that the payment of an order was voided; a second void keeps the first time. */
  async insertVoid(orderId: number, voidedAt: string): Promise<void> {
    await this.db(VOIDED_PAYMENTS)
      .insert({ order_id: orderId, voided_at: voidedAt })
      .onConflict('order_id')
      .ignore();
  }

  async listEntries(
    filter: { orderId?: number; kind?: LedgerKind },
    offset: number,
    limit: number,
  ): Promise<{ rows: LedgerEntryRow[]; total: number }> {
    const matching = this.db(LEDGER_ENTRIES);
    if (filter.orderId) matching.where('order_id', filter.orderId);
    if (filter.kind) matching.where('kind', filter.kind);
    const [counted] = await matching.clone().count({ total: '*' });
    const rows = await matching.select('*').orderBy('id').limit(limit).offset(offset);
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

  /** Net units and revenue per album, best first; titles and genres come from the catalog service afterwards. */
  async salesByAlbum(
    range: TimeRange,
    by: 'revenue' | 'units',
    offset: number,
    limit: number,
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
      .havingRaw(`sum(${NET_UNITS}) > 0`)
      .orderBy(by === 'units' ? 'units' : 'revenue_cents', 'desc')
      .orderBy('ledger_lines.album_id')
      .offset(offset)
      .limit(limit);
  }

  /** Reads the service's OWN copy of countries (backfilled and synced from the monolith). */
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
    return Array.isArray(result) ? result : result.rows;
  }
}
