// finance-service as the provider of its consumers' pacts (contracts/contracts.yaml): the real
// service, started the way main.ts starts it, on a scratch SQLite file; provider states write
// through the service's own repository.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDatabase } from '../../../common/src/database';
import type { ProviderUnderTest } from '../../../contracts/src/provider-harness';
import { loadConfig } from '../src/config';
import { startFinanceService } from '../src/main';
import { FinanceRepository } from '../src/repository';

// The pacts so far never need album titles; a catalog that refuses connections makes any that do fail loudly.
const NO_CATALOG = 'http://127.0.0.1:9';

export async function startProvider(): Promise<ProviderUnderTest> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'finance-service-provider-'));
  const file = path.join(dir, 'finance-service.sqlite');
  const remove = () => fs.rmSync(dir, { recursive: true, force: true });
  let service: Awaited<ReturnType<typeof startFinanceService>>;
  try {
    service = await startFinanceService(
      loadConfig({
        FINANCE_PORT: '0',
        FINANCE_DATABASE_URL: `sqlite:${file}`,
        CATALOG_SERVICE_URL: NO_CATALOG,
        LOG_LEVEL: 'silent',
      }),
    );
  } catch (error) {
    remove();
    throw error;
  }
  const db = openDatabase({ engine: 'sqlite', location: file });
  const repository = new FinanceRepository(db);
  // Reference data the running service gets from the monolith by sync; the pacts book money in Germany.
  await db('countries').insert({
    code: 'DE',
    name: 'Germany',
    tax_rate_bp: 1900,
    shipping_zone: 'eu',
  });

  async function assertNoEntry(orderId: number, kind: 'payment' | 'refund') {
    if (await repository.findEntry(orderId, kind))
      throw new Error(`order ${orderId} already has a ${kind}; the state needs a fresh order id`);
  }

  return {
    url: service.url,
    stateHandlers: {
      async 'an order has no payment'(params) {
        await assertNoEntry(Number(params.orderId), 'payment');
        return undefined;
      },
      async 'an order is paid'(params) {
        const orderId = Number(params.orderId);
        await assertNoEntry(orderId, 'payment');
        const totalCents = Number(params.totalCents ?? 2380);
        await repository.insertEntry(
          {
            order_id: orderId,
            customer_id: Number(params.customerId ?? 7),
            kind: 'payment',
            amount_cents: totalCents,
            tax_cents: Number(params.taxCents ?? 380),
            country_code: String(params.countryCode ?? 'DE'),
            recorded_at: new Date(0).toISOString(),
          },
          [{ album_id: 1, quantity: 1, amount_cents: totalCents }],
        );
        return undefined;
      },
    },
    async close() {
      await db.destroy();
      await service.close();
      remove();
    },
  };
}
