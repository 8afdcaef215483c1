// The monolith's order saga, finance side: it books payments and refunds on finance-service.
import { MatchersV3 } from '@pact-foundation/pact';
import type { OrderMoney } from '../../../legacy-monolith/src/finance';
import { createFinanceServiceClient } from '../../../legacy-monolith/src/warehouse/finance-service-client';
import { consumerPact } from '../../src/consumer-pact';

const { like } = MatchersV3;

const money = (orderId: number): OrderMoney => ({
  orderId,
  customerId: 7,
  countryCode: 'DE',
  totalCents: 2380,
  taxCents: 380,
  lines: [{ albumId: 1, quantity: 2, amountCents: 2000 }],
});

const postOf = (kind: 'payment' | 'refund', orderId: number) => (request: any) =>
  request
    .headers({
      'content-type': 'application/json',
      accept: 'application/json',
      'idempotency-key': `order-${orderId}-${kind}`,
    })
    .jsonBody(money(orderId));

describe('legacy-monolith → finance-service (payments and refunds of the order saga)', () => {
  const { pact, settle } = consumerPact('legacy-monolith', 'finance-service');
  afterAll(() => settle());

  const client = (url: string) => createFinanceServiceClient({ baseUrl: url, timeoutMs: 2000 });

  it('books a payment', async () => {
    await pact
      .addInteraction()
      .given('an order has no payment', { orderId: 5001 })
      .uponReceiving('a payment for an order')
      .withRequest('POST', '/finance/payments', postOf('payment', 5001))
      .willRespondWith(201)
      .executeTest(async (server) => {
        await expect(client(server.url).recordPayment(money(5001))).resolves.toBeUndefined();
      });
  });

  it('books a refund of a paid order', async () => {
    await pact
      .addInteraction()
      .given('an order is paid', { orderId: 5002, totalCents: 2380, taxCents: 380 })
      .uponReceiving('a refund of a paid order')
      .withRequest('POST', '/finance/refunds', postOf('refund', 5002))
      .willRespondWith(201)
      .executeTest(async (server) => {
        await expect(client(server.url).recordRefund(money(5002))).resolves.toBeUndefined();
      });
  });

  it('when a voided payment never landed, then finance answers INVALID_STATE, which means nothing to void', async () => {
    await pact
      .addInteraction()
      .given('an order has no payment', { orderId: 5003 })
      .uponReceiving('a refund of an order that was never paid')
      .withRequest('POST', '/finance/refunds', postOf('refund', 5003))
      .willRespondWith(409, (response) =>
        response.jsonBody({ error: { code: 'INVALID_STATE', message: like('no payment') } }),
      )
      .executeTest(async (server) => {
        await expect(client(server.url).voidPayment(money(5003))).resolves.toBe('nothing-to-void');
      });
  });

  it('when a payment contradicts the one already booked, then it is refused', async () => {
    await pact
      .addInteraction()
      .given('an order is paid', { orderId: 5004, totalCents: 9999, taxCents: 1596 })
      .uponReceiving('a payment that differs from the one already booked')
      .withRequest('POST', '/finance/payments', postOf('payment', 5004))
      .willRespondWith(409, (response) =>
        response.jsonBody({
          error: { code: like('IDEMPOTENCY_CONFLICT'), message: like('already recorded') },
        }),
      )
      .executeTest(async (server) => {
        await expect(client(server.url).recordPayment(money(5004))).rejects.toMatchObject({
          booked: 'no',
        });
      });
  });
});
