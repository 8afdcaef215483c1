import { CORRELATION_HEADER } from '../../../common/src/correlation-id';
import type { OrderMoney } from '../finance';
import { currentCorrelationId } from '../http/request-context';
import { PaymentFailure, type PaymentGateway } from './payment-gateway';

export interface FinanceClientOptions {
  /** finance-service, e.g. http://127.0.0.1:4002 */
  baseUrl: string;
  timeoutMs: number;
  fetch?: typeof fetch;
}

// Connection refused: the request never reached finance, so nothing can have been booked.
const NEVER_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN']);

/**
 * finance-service's POST /finance/payments and /finance/refunds, with a timeout, the request's
 * correlation ID and an Idempotency-Key header (finance-service keys on orderId + kind).
 *
 * @example createFinanceServiceClient({ baseUrl: 'http://127.0.0.1:4002', timeoutMs: 3000 }).recordPayment(money)
 */
export function createFinanceServiceClient(options: FinanceClientOptions): PaymentGateway {
  const baseUrl = options.baseUrl.replace(/\/+$/, '');
  const doFetch = options.fetch ?? fetch;

  async function post(
    kind: 'payment' | 'refund',
    money: OrderMoney,
  ): Promise<{ status: number; code?: string; message?: string }> {
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      accept: 'application/json',
      'idempotency-key': `order-${money.orderId}-${kind}`,
    };
    const correlationId = currentCorrelationId();
    if (correlationId) headers[CORRELATION_HEADER] = correlationId;
    const where = `finance-service at ${baseUrl} (POST /finance/${kind}s for order ${money.orderId})`;
    let response: Response;
    try {
      response = await doFetch(`${baseUrl}/finance/${kind}s`, {
        method: 'POST',
        headers,
        body: JSON.stringify(money),
        signal: AbortSignal.timeout(options.timeoutMs),
      });
    } catch (error) {
      const name = (error as Error).name;
      if (name === 'TimeoutError' || name === 'AbortError')
        throw new PaymentFailure(
          `${where} did not answer within ${options.timeoutMs}ms`,
          'unknown',
        );
      const code = (error as { cause?: { code?: string } }).cause?.code;
      throw new PaymentFailure(
        `${where} is unreachable (${code ?? (error as Error).message})`,
        code && NEVER_SENT.has(code) ? 'no' : 'unknown',
      );
    }
    const body = (await response.json().catch(() => undefined)) as
      | { error?: { code?: string; message?: string } }
      | undefined;
    if (response.ok) return { status: response.status };
    const detail = body?.error
      ? `${body.error.code}: ${body.error.message}`
      : `status ${response.status}`;
    if (response.status >= 500)
      throw new PaymentFailure(`${where} failed with ${response.status} (${detail})`, 'unknown');
    return {
      status: response.status,
      code: body?.error?.code ?? `HTTP_${response.status}`,
      message: detail,
    };
  }

  async function book(kind: 'payment' | 'refund', money: OrderMoney): Promise<void> {
    const answer = await post(kind, money);
    if (answer.code)
      throw new PaymentFailure(
        `finance-service refused the ${kind} of order ${money.orderId} (${answer.status} ${answer.message})`,
        'no',
      );
  }

  return {
    recordPayment: (money) => book('payment', money),
    recordRefund: (money) => book('refund', money),
    async voidPayment(money) {
      const answer = await post('refund', money);
      if (!answer.code) return 'voided';
      // finance-service refuses a refund without a payment: then the payment never landed.
      if (answer.code === 'INVALID_STATE') return 'nothing-to-void';
      throw new PaymentFailure(
        `finance-service refused to void the payment of order ${money.orderId} (${answer.code})`,
        'unknown',
      );
    },
  };
}
