import { toNumber } from '../../../common/src/database';
import type { CatalogPort } from '../catalog-port';
import { notFound } from '../errors';
import { recordEvent } from '../events/record-event';
import { moneyBooked } from './events';
import type { Page, Paging } from '../http/paging';
import {
  type BestSellerQuery,
  type Database,
  FinanceRepository,
  type LedgerEntryRow,
  type LedgerKind,
  type LedgerLineRow,
  type TimeRange,
  type Transaction,
} from './repository';

export interface OrderMoney {
  orderId: number;
  customerId: number;
  countryCode: string;
  totalCents: number;
  taxCents: number;
  lines: { albumId: number; quantity: number; amountCents: number }[];
}

export interface LedgerEntry {
  id: number;
  orderId: number;
  customerId: number;
  kind: LedgerKind;
  amountCents: number;
  taxCents: number;
  countryCode: string;
  recordedAt: string;
  lines: { albumId: number; quantity: number; amountCents: number }[];
}

async function recordEntry(
  trx: Transaction,
  kind: LedgerKind,
  money: OrderMoney,
  sign: 1 | -1,
): Promise<number> {
  const repository = new FinanceRepository(trx);
  const entry = {
    order_id: money.orderId,
    customer_id: money.customerId,
    kind,
    amount_cents: sign * money.totalCents,
    tax_cents: sign * money.taxCents,
    country_code: money.countryCode,
    recorded_at: new Date().toISOString(),
  };
  const entryId = await repository.insertLedgerEntry(trx, entry);
  const lines = money.lines.map((line) => ({
    ledger_entry_id: entryId,
    album_id: line.albumId,
    quantity: line.quantity,
    amount_cents: sign * line.amountCents,
  }));
  await repository.insertLedgerLines(trx, lines);
  await recordEvent(trx, moneyBooked(kind, { id: entryId, ...entry }));
  return entryId;
}

/** Books an order's payment inside the caller's transaction (warehouse calls this: planted seams 2 and 3). */
export async function recordOrderPayment(trx: Transaction, payment: OrderMoney): Promise<number> {
  return recordEntry(trx, 'payment', payment, 1);
}

/** Books a refund: amounts are negative (so money sums are net), quantities stay the count of items given back. */
export async function recordOrderRefund(trx: Transaction, refund: OrderMoney): Promise<number> {
  return recordEntry(trx, 'refund', refund, -1);
}

function toLedgerEntry(row: LedgerEntryRow, lines: LedgerLineRow[]): LedgerEntry {
  return {
    id: Number(row.id),
    orderId: Number(row.order_id),
    customerId: Number(row.customer_id),
    kind: row.kind,
    amountCents: Number(row.amount_cents),
    taxCents: Number(row.tax_cents),
    countryCode: row.country_code,
    recordedAt: row.recorded_at,
    lines: lines
      .filter((line) => Number(line.ledger_entry_id) === Number(row.id))
      .map((line) => ({
        albumId: Number(line.album_id),
        quantity: Number(line.quantity),
        amountCents: Number(line.amount_cents),
      })),
  };
}

export interface BestSeller {
  albumId: number;
  title: string;
  genre: string;
  units: number;
  revenueCents: number;
}

export class FinanceService {
  private readonly repository: FinanceRepository;

  constructor(
    db: Database,
    private readonly catalog: CatalogPort,
  ) {
    this.repository = new FinanceRepository(db);
  }

  async listLedger(
    filter: { orderId?: number; kind?: LedgerKind },
    paging: Paging,
  ): Promise<Page<LedgerEntry>> {
    const { rows, total } = await this.repository.listEntries(filter, paging);
    const lines = await this.repository.listLines(rows.map((row) => Number(row.id)));
    return { items: rows.map((row) => toLedgerEntry(row, lines)), total, ...paging };
  }

  async getInvoice(orderId: number) {
    const entries = await this.repository.listEntriesOfOrder(orderId);
    const payment = entries.find((entry) => entry.kind === 'payment');
    if (!payment) throw notFound('invoice for order', orderId);
    const lines = await this.repository.listInvoiceLines(Number(payment.id));
    // An album gone from the catalog (possible once it is a service) keeps its money, with title null.
    const albums = await this.catalog.findAlbums(lines.map((l) => Number(l.album_id)));
    const totalCents = Number(payment.amount_cents);
    const taxCents = Number(payment.tax_cents);
    const refundedCents = -entries
      .filter((e) => e.kind === 'refund')
      .reduce((sum, e) => sum + Number(e.amount_cents), 0);
    return {
      orderId,
      customerId: Number(payment.customer_id),
      countryCode: payment.country_code,
      lines: lines.map((l) => ({
        albumId: Number(l.album_id),
        title: albums.get(Number(l.album_id))?.title ?? null,
        quantity: Number(l.quantity),
        amountCents: Number(l.amount_cents),
      })),
      subtotalCents: totalCents - taxCents,
      taxCents,
      totalCents,
      refundedCents,
    };
  }

  /** Sales come from the ledger, titles and genres from the catalog port; albums the catalog no longer knows drop out. */
  async bestSellers(query: BestSellerQuery): Promise<BestSeller[]> {
    const sales = await this.repository.salesByAlbum(query);
    const albums = await this.catalog.findAlbums(sales.map((s) => Number(s.album_id)));
    const genre = query.genre?.toLowerCase();
    const key = query.by === 'units' ? 'units' : 'revenueCents';
    return sales
      .flatMap((s) => {
        const album = albums.get(Number(s.album_id));
        if (!album || (genre !== undefined && album.genre.toLowerCase() !== genre)) return [];
        return [
          {
            albumId: album.id,
            title: album.title,
            genre: album.genre,
            units: toNumber(s.units),
            revenueCents: toNumber(s.revenue_cents),
          },
        ];
      })
      .sort((a, b) => b[key] - a[key] || a.albumId - b.albumId)
      .slice(0, query.limit);
  }

  async revenueByCountry(range: TimeRange) {
    const rows = await this.repository.revenueByCountry(range);
    return rows.map((r) => ({
      countryCode: r.country_code,
      countryName: r.country_name,
      taxRateBp: Number(r.tax_rate_bp),
      revenueCents: toNumber(r.revenue_cents),
      taxCents: toNumber(r.tax_cents),
    }));
  }
}
