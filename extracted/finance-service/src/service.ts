import type { CatalogClient } from './catalog-client';
import { FinanceError, notFound, validationFailed } from './errors';
import type { FinanceRepository, LedgerEntryRow, LedgerKind, LedgerLineRow } from './repository';

/** What the monolith sends when it books an order's money (the same shape as its own OrderMoney). */
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

/** Does a stored entry say what a replayed request says? Refunds are stored negated. */
function sameMoney(entry: LedgerEntry, money: OrderMoney, sign: 1 | -1): boolean {
  const wanted = JSON.stringify([
    money.customerId,
    money.countryCode,
    sign * money.totalCents,
    sign * money.taxCents,
    money.lines.map((l) => [l.albumId, l.quantity, sign * l.amountCents]),
  ]);
  const stored = JSON.stringify([
    entry.customerId,
    entry.countryCode,
    entry.amountCents,
    entry.taxCents,
    entry.lines.map((l) => [l.albumId, l.quantity, l.amountCents]),
  ]);
  return wanted === stored;
}

export class FinanceService {
  constructor(
    private readonly repository: FinanceRepository,
    private readonly catalog: CatalogClient,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async listLedger(
    filter: { orderId?: number; kind?: LedgerKind },
    page: number,
    pageSize: number,
  ) {
    const { rows, total } = await this.repository.listEntries(
      filter,
      (page - 1) * pageSize,
      pageSize,
    );
    const lines = await this.repository.listLines(rows.map((row) => Number(row.id)));
    return { items: rows.map((row) => toLedgerEntry(row, lines)), total, page, pageSize };
  }

  private async readEntry(orderId: number, kind: LedgerKind): Promise<LedgerEntry | undefined> {
    const row = await this.repository.findEntry(orderId, kind);
    return row && toLedgerEntry(row, await this.repository.listLines([Number(row.id)]));
  }

  /**
   * Books a payment or refund once per (orderId, kind): a replay with the same
   * body returns the stored entry (created: false); a different body is a 409.
   */
  async record(
    kind: LedgerKind,
    money: OrderMoney,
  ): Promise<{ entry: LedgerEntry; created: boolean }> {
    const sign = kind === 'refund' ? -1 : 1;
    // Checked before the replay: a late replay of a voided payment is refused too.
    if (kind === 'payment') await this.assertNotVoided(money.orderId);
    const existing = await this.readEntry(money.orderId, kind);
    if (existing) return { entry: this.assertReplay(existing, money, sign), created: false };
    await this.assertKnownCountry(money.countryCode);
    if (kind === 'refund') await this.assertRefundable(money);
    const booked = await this.insertOnce(kind, money, sign);
    if (booked.created && kind === 'payment') await this.compensateIfVoidedMeanwhile(money);
    return booked;
  }

  private async insertOnce(
    kind: LedgerKind,
    money: OrderMoney,
    sign: 1 | -1,
  ): Promise<{ entry: LedgerEntry; created: boolean }> {
    try {
      await this.repository.insertEntry(
        {
          order_id: money.orderId,
          customer_id: money.customerId,
          kind,
          amount_cents: sign * money.totalCents,
          tax_cents: sign * money.taxCents,
          country_code: money.countryCode,
          recorded_at: this.now().toISOString(),
        },
        money.lines.map((l) => ({
          album_id: l.albumId,
          quantity: l.quantity,
          amount_cents: sign * l.amountCents,
        })),
      );
    } catch (error) {
      // A concurrent request with the same key won the unique index: answer as a replay.
      const raced = await this.readEntry(money.orderId, kind);
      if (!raced) throw error;
      return { entry: this.assertReplay(raced, money, sign), created: false };
    }
    return { entry: (await this.readEntry(money.orderId, kind))!, created: true };
  }

  private assertReplay(entry: LedgerEntry, money: OrderMoney, sign: 1 | -1): LedgerEntry {
    if (sameMoney(entry, money, sign)) return entry;
    throw new FinanceError(
      'IDEMPOTENCY_CONFLICT',
      `a ${entry.kind} for order ${money.orderId} is already recorded with different amounts; the key (orderId, kind) can be used once`,
      'orderId',
    );
  }

  private async assertNotVoided(orderId: number): Promise<void> {
    const voided = await this.repository.findVoid(orderId);
    if (voided)
      throw new FinanceError(
        'INVALID_STATE',
        `the payment of order ${orderId} was voided at ${voided.voided_at} (the order was cancelled): it is not booked; place a new order`,
        'orderId',
      );
  }

  /** A service validates at least what the monolith did: the monolith books money only for countries it knows. */
  private async assertKnownCountry(code: string): Promise<void> {
    if (!(await this.repository.countryExists(code)))
      throw validationFailed(
        'countryCode',
        `countryCode: country ${code} is not known (GET /countries on the monolith lists them)`,
      );
  }

  /**
   * The void and the payment can cross: each writes first and then reads what
   * the other wrote, so at least one of them sees the other. A payment that
   * finds its void after booking is refunded at once and refused.
   */
  private async compensateIfVoidedMeanwhile(money: OrderMoney): Promise<void> {
    if (!(await this.repository.findVoid(money.orderId))) return;
    await this.insertOnce('refund', money, -1);
    await this.assertNotVoided(money.orderId);
  }

  private async assertRefundable(money: OrderMoney): Promise<void> {
    let payment = await this.repository.findEntry(money.orderId, 'payment');
    if (!payment) {
      // A refund before any payment is the saga voiding a payment it never saw answered.
      await this.repository.insertVoid(money.orderId, this.now().toISOString());
      payment = await this.repository.findEntry(money.orderId, 'payment');
    }
    if (!payment)
      throw new FinanceError(
        'INVALID_STATE',
        `order ${money.orderId} has no payment to refund; a payment for it arriving later is refused`,
        'orderId',
      );
    if (money.totalCents > Number(payment.amount_cents)) {
      throw validationFailed(
        'totalCents',
        `totalCents: ${money.totalCents} is more than the ${payment.amount_cents} paid for order ${money.orderId}`,
      );
    }
  }

  /** Titles come from the catalog service; a line whose album is gone keeps its money, with title null and albumMissing. */
  async getInvoice(orderId: number, correlationId?: string) {
    const entries = await this.repository.listEntriesOfOrder(orderId);
    const payment = entries.find((entry) => entry.kind === 'payment');
    if (!payment) throw notFound('invoice for order', orderId);
    const lines = await this.repository.listLines([Number(payment.id)]);
    const albums = await this.catalog.findAlbums(
      lines.map((l) => Number(l.album_id)),
      correlationId,
    );
    const totalCents = Number(payment.amount_cents);
    const taxCents = Number(payment.tax_cents);
    return {
      orderId,
      customerId: Number(payment.customer_id),
      countryCode: payment.country_code,
      lines: lines.map((l) => {
        const album = albums.get(Number(l.album_id));
        const line = {
          albumId: Number(l.album_id),
          title: album?.title ?? null,
          quantity: Number(l.quantity),
          amountCents: Number(l.amount_cents),
        };
        return album ? line : { ...line, albumMissing: true };
      }),
      subtotalCents: totalCents - taxCents,
      taxCents,
      totalCents,
      refundedCents: -entries
        .filter((e) => e.kind === 'refund')
        .reduce((sum, e) => sum + Number(e.amount_cents), 0),
    };
  }
}
