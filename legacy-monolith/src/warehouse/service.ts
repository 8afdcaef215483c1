import type { CatalogPort } from '../catalog-port';
import { CustomerService } from '../customer';
import { MonolithError, notFound, validationFailed } from '../errors';
// Planted seam 2: warehouse imports finance's service module directly, bypassing finance/index.ts.
import { type OrderMoney, recordOrderPayment, recordOrderRefund } from '../finance/service';
import type { Page, Paging } from '../http/paging';
import { recordEvent } from '../events/record-event';
import { currentLogger } from '../http/request-context';
import { MAX_INT } from '../http/validation';
import { orderDispatched, orderPlaced, orderReturned, pickListIssued } from './events';
import { computeTax, mergeLines, type OrderLineInput } from './order-pricing';
import { OrderSaga } from './order-saga';
import type { PaymentGateway } from './payment-gateway';
import {
  type Database,
  type OrderLineRow,
  type OrderRow,
  type OrderStatus,
  type Transaction,
  WarehouseRepository,
} from './repository';

export interface Order {
  id: number;
  customerId: number;
  status: OrderStatus;
  countryCode: string;
  subtotalCents: number;
  taxCents: number;
  totalCents: number;
  placedAt: string;
  dispatchedAt: string | null;
  returnedAt: string | null;
  lines: { albumId: number; quantity: number; unitPriceCents: number }[];
}

export interface WarehouseOptions {
  catalog: CatalogPort;
  /** FINANCE_MODE=service: money goes through finance-service in a saga instead of this database's transaction. */
  payments?: PaymentGateway;
}

function moneyOf(order: Order): OrderMoney {
  const lines = order.lines.map((l) => ({
    albumId: l.albumId,
    quantity: l.quantity,
    amountCents: l.quantity * l.unitPriceCents,
  }));
  return {
    orderId: order.id,
    customerId: order.customerId,
    countryCode: order.countryCode,
    totalCents: order.totalCents,
    taxCents: order.taxCents,
    lines,
  };
}

function toOrder(row: OrderRow, lines: OrderLineRow[]): Order {
  return {
    id: Number(row.id),
    customerId: Number(row.customer_id),
    status: row.status,
    countryCode: row.country_code,
    subtotalCents: Number(row.subtotal_cents),
    taxCents: Number(row.tax_cents),
    totalCents: Number(row.total_cents),
    placedAt: row.placed_at,
    dispatchedAt: row.dispatched_at ?? null,
    returnedAt: row.returned_at ?? null,
    lines: lines
      .filter((line) => Number(line.order_id) === Number(row.id))
      .map((line) => ({
        albumId: Number(line.album_id),
        quantity: Number(line.quantity),
        unitPriceCents: Number(line.unit_price_cents),
      })),
  };
}

export class WarehouseService {
  private readonly repository: WarehouseRepository;
  private readonly customers: CustomerService;
  private readonly catalog: CatalogPort;
  private readonly saga?: OrderSaga;

  constructor(db: Database, options: WarehouseOptions) {
    this.repository = new WarehouseRepository(db);
    this.customers = new CustomerService(db);
    this.catalog = options.catalog;
    if (options.payments) this.saga = new OrderSaga(this.repository, options.payments);
  }

  /**
   * Prices, reserves stock, records the order and books the payment, all in one database transaction
   * (FINANCE_MODE=local); with FINANCE_MODE=service the payment is the second step of a saga.
   */
  async placeOrder(input: { customerId: number; lines: OrderLineInput[] }): Promise<Order> {
    const { customer, priced, subtotalCents, taxCents } = await this.priceOrder(input);
    const moneyFor = (orderId: number): OrderMoney => ({
      orderId,
      customerId: customer.id,
      countryCode: customer.countryCode,
      totalCents: subtotalCents + taxCents,
      taxCents,
      lines: priced.map((l) => ({
        albumId: l.albumId,
        quantity: l.quantity,
        amountCents: l.quantity * l.unitPriceCents,
      })),
    });
    const placedAt = new Date().toISOString();
    const orderId = await this.repository.transaction(async (trx) => {
      const id = await this.repository.insertOrder(trx, {
        customer_id: customer.id,
        country_code: customer.countryCode,
        status: this.saga ? 'payment_pending' : 'placed',
        subtotal_cents: subtotalCents,
        tax_cents: taxCents,
        total_cents: subtotalCents + taxCents,
        placed_at: placedAt,
        dispatched_at: null,
        returned_at: null,
      });
      await this.repository.insertOrderLines(
        trx,
        priced.map((l) => ({
          order_id: id,
          album_id: l.albumId,
          quantity: l.quantity,
          unit_price_cents: l.unitPriceCents,
        })),
      );
      const picks = [];
      // Album-id order: two concurrent orders lock the same stock rows in the same order, so PostgreSQL cannot deadlock.
      for (const line of [...priced].sort((a, b) => a.albumId - b.albumId)) {
        const bin = await this.repository.decrementStock(trx, line.albumId, line.quantity);
        if (!bin)
          throw new MonolithError(
            'OUT_OF_STOCK',
            `album ${line.albumId} "${line.title}" has fewer than ${line.quantity} in stock`,
            `lines[${line.index}].quantity`,
          );
        picks.push({ order_id: id, album_id: line.albumId, quantity: line.quantity, bin });
      }
      await this.repository.insertPickInstructions(trx, picks);
      await recordEvent(trx, pickListIssued(id, picks, placedAt));
      // Planted seam 3: finance tables are written in warehouse's transaction (unless the saga books them).
      if (!this.saga) await recordOrderPayment(trx, moneyFor(id));
      // With the saga, the order is placed (and announced) once its payment is booked.
      if (!this.saga) await recordEvent(trx, orderPlaced(moneyFor(id), placedAt));
      return id;
    });
    await this.saga?.collectPayment({ id: orderId, money: moneyFor(orderId), lines: priced });
    currentLogger().info({ orderId, totalCents: subtotalCents + taxCents }, 'order placed');
    return this.getOrder(orderId);
  }

  async getOrder(orderId: number): Promise<Order> {
    const row = await this.repository.findOrder(orderId);
    if (!row) throw notFound('order', orderId);
    return toOrder(row, await this.repository.listLines([orderId]));
  }

  async listOrders(customerId: number, paging: Paging): Promise<Page<Order>> {
    const { rows, total } = await this.repository.listOrdersOf(customerId, paging);
    const lines = await this.repository.listLines(rows.map((row) => Number(row.id)));
    return { items: rows.map((row) => toOrder(row, lines)), total, ...paging };
  }

  async dispatchOrder(orderId: number): Promise<Order> {
    await this.repository.transaction(async (trx) => {
      const dispatchedAt = new Date().toISOString();
      await this.moveStatus(trx, orderId, 'placed', 'dispatched', { dispatched_at: dispatchedAt });
      await this.repository.markPicked(trx, orderId);
      const row = await this.repository.findOrder(orderId, trx);
      await recordEvent(trx, orderDispatched(orderId, Number(row!.customer_id), dispatchedAt));
    });
    return this.getOrder(orderId);
  }

  /** Takes a dispatched order back: restocks it and books a refund through finance, in one transaction (or a saga). */
  async returnOrder(orderId: number): Promise<Order> {
    const order = await this.getOrder(orderId);
    await this.repository.transaction(async (trx) => {
      const returnedAt = new Date().toISOString();
      await this.moveStatus(trx, orderId, 'dispatched', this.saga ? 'refund_pending' : 'returned', {
        returned_at: returnedAt,
      });
      for (const line of order.lines)
        await this.repository.restock(trx, line.albumId, line.quantity);
      if (!this.saga) await recordOrderRefund(trx, moneyOf(order));
      if (!this.saga) await recordEvent(trx, orderReturned(moneyOf(order), returnedAt));
    });
    await this.saga?.refund({ id: orderId, money: moneyOf(order), lines: order.lines });
    return this.getOrder(orderId);
  }

  /**
   * Completes or compensates orders a saga left pending for longer than `olderThanMs` (a crash, or a
   * compensation that failed). A no-op with FINANCE_MODE=local.
   */
  async settlePendingOrders(
    olderThanMs: number,
  ): Promise<{ completed: number[]; compensated: number[]; pending: number[] }> {
    const outcome = {
      completed: [] as number[],
      compensated: [] as number[],
      pending: [] as number[],
    };
    if (!this.saga) return outcome;
    const before = new Date(Date.now() - olderThanMs).toISOString();
    for (const status of ['payment_pending', 'refund_pending'] as const) {
      for (const row of await this.repository.listStuckOrders(status, before)) {
        const order = toOrder(row, await this.repository.listLines([Number(row.id)]));
        outcome[
          await this.saga.settle(
            { id: order.id, money: moneyOf(order), lines: order.lines },
            status,
          )
        ].push(order.id);
      }
    }
    return outcome;
  }

  async getStock(albumId: number): Promise<{ albumId: number; quantity: number; bin: string }> {
    const row = await this.repository.findStock(albumId);
    if (!row) throw notFound('stock for album', albumId);
    return { albumId, quantity: Number(row.quantity), bin: row.bin };
  }

  /** Sets the shelf count of an album (goods received or a stock take). */
  async setStock(
    albumId: number,
    quantity: number,
    bin: string,
  ): Promise<{ albumId: number; quantity: number; bin: string }> {
    if (!(await this.catalog.findAlbums([albumId])).has(albumId)) throw notFound('album', albumId);
    await this.repository.upsertStock({ album_id: albumId, quantity, bin });
    return { albumId, quantity, bin };
  }

  /** Everything read before the transaction: the buyer, album prices and the country's tax. */
  private async priceOrder(input: { customerId: number; lines: OrderLineInput[] }) {
    const customer = await this.customers.getCustomer(input.customerId).catch((error: unknown) => {
      if (error instanceof MonolithError && error.code === 'NOT_FOUND')
        throw validationFailed(
          'customerId',
          `customerId: customer ${input.customerId} does not exist`,
        );
      throw error;
    });
    const taxRateBp = (await this.repository.findTaxRate(customer.countryCode)) ?? 0;
    const lines = mergeLines(input.lines);
    // Prices come through the catalog port (the database adapter reads catalog's albums table, as before: row 8).
    const albums = await this.catalog.findAlbums(lines.map((l) => l.albumId));
    const priced = lines.map((line) => {
      const album = albums.get(line.albumId);
      if (!album)
        throw validationFailed(
          `lines[${line.index}].albumId`,
          `lines[${line.index}].albumId: album ${line.albumId} does not exist`,
        );
      return { ...line, title: album.title, unitPriceCents: album.priceCents };
    });
    const subtotalCents = priced.reduce(
      (sum, line) => sum + line.quantity * line.unitPriceCents,
      0,
    );
    const taxCents = computeTax(subtotalCents, taxRateBp);
    if (subtotalCents + taxCents > MAX_INT)
      throw validationFailed(
        'lines',
        'lines: the order total is too large; split it into smaller orders',
      );
    return { customer, priced, subtotalCents, taxCents };
  }

  private async moveStatus(
    trx: Transaction,
    orderId: number,
    from: OrderStatus,
    to: OrderStatus,
    changes: Partial<OrderRow>,
  ): Promise<void> {
    if (await this.repository.changeStatus(trx, orderId, from, to, changes)) return;
    const current = await this.repository.findOrder(orderId, trx);
    if (!current) throw notFound('order', orderId);
    throw new MonolithError(
      'INVALID_STATE',
      `order ${orderId} is ${current.status}; only ${from} orders can become ${to}`,
    );
  }
}
