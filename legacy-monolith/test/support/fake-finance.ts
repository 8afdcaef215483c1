import http from 'node:http';
import express from 'express';
import { listenOnLoopback, stopServer } from './catalog-service';

/** ok: books it; fail: 500 without booking; book-then-fail: books, then 500 (the caller cannot tell); refuse: 409; hang: never answers. */
export type FinanceBehaviour = 'ok' | 'fail' | 'book-then-fail' | 'refuse' | 'hang';

export interface FakeFinance {
  url: string;
  behaviour: { payment: FinanceBehaviour; refund: FinanceBehaviour };
  /** Booked entries by "orderId-kind". */
  booked: Map<string, { totalCents: number }>;
  calls: { kind: string; orderId: number; idempotencyKey?: string; correlationId?: string }[];
  close(): Promise<void>;
}

/** Stands in for finance-service's POST /finance/payments and /finance/refunds (idempotent per orderId + kind, as the real one). */
export async function startFakeFinance(): Promise<FakeFinance> {
  const app = express();
  app.use(express.json());
  const fake = {
    behaviour: { payment: 'ok', refund: 'ok' },
    booked: new Map(),
    calls: [],
  } as unknown as FakeFinance;
  for (const kind of ['payment', 'refund'] as const) {
    app.post(`/finance/${kind}s`, (req, res) => {
      const orderId = Number(req.body.orderId);
      fake.calls.push({
        kind,
        orderId,
        idempotencyKey: req.header('idempotency-key'),
        correlationId: req.header('x-correlation-id'),
      });
      const behaviour = fake.behaviour[kind];
      if (behaviour === 'hang') return;
      if (behaviour === 'fail')
        return void res
          .status(500)
          .json({ error: { code: 'INTERNAL', message: 'internal error' } });
      if (behaviour === 'refuse')
        return void res.status(409).json({
          error: {
            code: 'IDEMPOTENCY_CONFLICT',
            message: 'already recorded with different amounts',
          },
        });
      if (kind === 'refund' && !fake.booked.has(`${orderId}-payment`)) {
        return void res.status(409).json({
          error: { code: 'INVALID_STATE', message: `order ${orderId} has no payment to refund` },
        });
      }
      const key = `${orderId}-${kind}`;
      const created = !fake.booked.has(key);
      fake.booked.set(key, { totalCents: req.body.totalCents });
      if (behaviour === 'book-then-fail')
        return void res
          .status(500)
          .json({ error: { code: 'INTERNAL', message: 'internal error' } });
      res.status(created ? 201 : 200).json({ orderId, kind });
    });
  }
  const server = http.createServer(app);
  fake.url = await listenOnLoopback(server);
  fake.close = () => stopServer(server);
  return fake;
}
