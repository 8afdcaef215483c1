import type { OrderMoney } from '../finance';
import { MonolithError } from '../errors';
import { recordEvent } from '../events/record-event';
import { currentLogger } from '../http/request-context';
import { orderPlaced, orderReturned } from './events';
import { PaymentFailure, type PaymentGateway } from './payment-gateway';
import type { WarehouseRepository } from './repository';

export interface SagaOrder {
  id: number;
  money: OrderMoney;
  lines: { albumId: number; quantity: number }[];
}

function paymentFailed(message: string): MonolithError {
  return new MonolithError('PAYMENT_FAILED', message);
}

function asFailure(error: unknown): PaymentFailure {
  return error instanceof PaymentFailure
    ? error
    : new PaymentFailure(`finance call failed (${(error as Error).message})`, 'unknown');
}

/**
 * The order saga of FINANCE_MODE=service: warehouse's rows are committed first (status
 * payment_pending / refund_pending), then finance-service books the money; when it cannot,
 * compensating transactions undo warehouse's part. A step that cannot finish leaves the order
 * pending, and `settle` (run by the monolith on a timer) completes or compensates it later.
 */
export class OrderSaga {
  constructor(
    private readonly repository: WarehouseRepository,
    private readonly payments: PaymentGateway,
  ) {}

  /** After the local transaction committed a payment_pending order: book the payment, then mark it placed. */
  async collectPayment(order: SagaOrder): Promise<void> {
    try {
      await this.payments.recordPayment(order.money);
    } catch (error) {
      throw await this.undoPlacement(order, asFailure(error));
    }
    await this.repository.transaction(async (trx) => {
      if (await this.repository.changeStatus(trx, order.id, 'payment_pending', 'placed', {})) {
        const row = await this.repository.findOrder(order.id, trx);
        await recordEvent(trx, orderPlaced(order.money, row!.placed_at));
      }
    });
  }

  /** After the local transaction committed a refund_pending (restocked) order: book the refund, then mark it returned. */
  async refund(order: SagaOrder): Promise<void> {
    try {
      await this.payments.recordRefund(order.money);
    } catch (error) {
      throw await this.undoReturn(order, asFailure(error));
    }
    await this.repository.transaction(async (trx) => {
      if (await this.repository.changeStatus(trx, order.id, 'refund_pending', 'returned', {})) {
        const row = await this.repository.findOrder(order.id, trx);
        await recordEvent(trx, orderReturned(order.money, row!.returned_at!));
      }
    });
  }

  /** Finishes a stuck order: repeats the (idempotent) finance call, and compensates if it still fails. */
  async settle(
    order: SagaOrder,
    status: 'payment_pending' | 'refund_pending',
  ): Promise<'completed' | 'compensated' | 'pending'> {
    try {
      if (status === 'payment_pending') await this.collectPayment(order);
      else await this.refund(order);
      return 'completed';
    } catch {
      const current = await this.repository.findOrder(order.id);
      return current?.status === status ? 'pending' : 'compensated';
    }
  }

  private async undoPlacement(order: SagaOrder, failure: PaymentFailure): Promise<MonolithError> {
    const log = currentLogger();
    try {
      // The payment may have landed although we saw an error: void it before cancelling, never after.
      if (failure.booked === 'unknown') await this.payments.voidPayment(order.money);
      await this.repository.transaction(async (trx) => {
        if (
          !(await this.repository.changeStatus(trx, order.id, 'payment_pending', 'cancelled', {}))
        )
          return;
        for (const line of order.lines)
          await this.repository.restock(trx, line.albumId, line.quantity);
        await this.repository.cancelPicks(trx, order.id);
      });
    } catch (error) {
      log.error(
        { orderId: order.id, err: error, cause: failure.reason },
        'order saga: compensation failed, order left payment_pending',
      );
      // SECURITY: the database error (it may quote SQL) goes to the log only.
      return paymentFailed(
        `payment for order ${order.id} failed: ${failure.reason}; undoing it failed too, so it is left payment_pending and will be completed or cancelled automatically`,
      );
    }
    log.warn(
      { orderId: order.id, cause: failure.reason },
      'order saga: payment failed, order cancelled and stock restored',
    );
    return paymentFailed(
      `payment for order ${order.id} failed: ${failure.reason}; the order was cancelled and its stock restored, try again later`,
    );
  }

  private async undoReturn(order: SagaOrder, failure: PaymentFailure): Promise<MonolithError> {
    const log = currentLogger();
    if (failure.booked === 'unknown') {
      // A refund cannot be voided; repeating it is safe, so the settler retries it later.
      log.error(
        { orderId: order.id, cause: failure.reason },
        'order saga: refund outcome unknown, order left refund_pending',
      );
      return paymentFailed(
        `refund for order ${order.id} failed: ${failure.reason}; the order is refund_pending and the refund will be retried automatically`,
      );
    }
    try {
      await this.repository.transaction(async (trx) => {
        if (
          !(await this.repository.changeStatus(trx, order.id, 'refund_pending', 'dispatched', {
            returned_at: null,
          }))
        )
          return;
        for (const line of order.lines) {
          if (!(await this.repository.decrementStock(trx, line.albumId, line.quantity)))
            throw new Error(`album ${line.albumId}: the returned copies were sold again`);
        }
      });
    } catch (error) {
      log.error(
        { orderId: order.id, err: error, cause: failure.reason },
        'order saga: compensation failed, order left refund_pending',
      );
      return paymentFailed(
        `refund for order ${order.id} failed: ${failure.reason}; undoing the return failed too, so it is left refund_pending and will be retried automatically`,
      );
    }
    log.warn(
      { orderId: order.id, cause: failure.reason },
      'order saga: refund failed, return undone',
    );
    return paymentFailed(
      `refund for order ${order.id} failed: ${failure.reason}; the order is dispatched again, try the return later`,
    );
  }
}
