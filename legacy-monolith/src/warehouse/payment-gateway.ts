import type { OrderMoney } from '../finance';

/**
 * How warehouse books money once finance is a service (FINANCE_MODE=service). Both calls are
 * idempotent per (orderId, kind), so a saga may repeat them after a crash or a timeout.
 */
export interface PaymentGateway {
  recordPayment(money: OrderMoney): Promise<void>;
  recordRefund(money: OrderMoney): Promise<void>;
  /** Undoes a payment whose outcome is unknown: books a refund if (and only if) the payment exists. */
  voidPayment(money: OrderMoney): Promise<'voided' | 'nothing-to-void'>;
}

/**
 * A failed call to finance. `booked` says what is known of the money afterwards: 'no' when finance
 * refused or was unreachable, 'unknown' after a timeout or a 5xx (it may have committed).
 */
export class PaymentFailure extends Error {
  constructor(
    readonly reason: string,
    readonly booked: 'no' | 'unknown',
  ) {
    super(reason);
    this.name = 'PaymentFailure';
  }
}
