import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { RunningService } from '../../common/src/run-service';
import { migrateLatest } from '../../common/src/migrate';
import { createLogger } from '../../common/src/logger';
import {
  createTemporaryDatabase,
  describeEachEngine,
  type TemporaryDatabase,
} from '../support/engines';
import { loadConfig as loadMonolithConfig } from '../../legacy-monolith/src/config';
import { type RunningMonolith, startMonolith } from '../../legacy-monolith/src/main';
import { seedDatabase } from '../../legacy-monolith/seed/seed-database';
import { loadConfig } from '../../extracted/reporting-service/src/config';
import { startReportingService } from '../../extracted/reporting-service/src/main';

const getJson = async (url: string): Promise<any> => {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`${url}: ${res.status} ${await res.text()}`);
  return res.json();
};

async function waitUntil(
  check: () => Promise<boolean>,
  what: string,
  timeoutMs = 60000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describeEachEngine('reporting data pump', (engine) => {
  let monolithDb: TemporaryDatabase;
  let reportingDb: TemporaryDatabase;
  let brokerDir: string;
  let reporting: RunningService;
  let monolith: RunningMonolith;
  let ledgerEntries: () => Promise<number>;

  beforeAll(async () => {
    monolithDb = await createTemporaryDatabase(engine, 'pump-monolith');
    reportingDb = await createTemporaryDatabase(engine, 'pump-reporting');
    brokerDir = fs.mkdtempSync(path.join(os.tmpdir(), 'strangler-pump-'));
    const db = monolithDb.open();
    await migrateLatest(db, 'legacy-monolith');
    await seedDatabase(db, { scale: 0.05, progress: false });
    await db.destroy();
    const events = { EVENTS_BROKER_URL: `sqlite:${path.join(brokerDir, 'broker.sqlite')}` };
    // The pump subscribes first: a relay publishing to no queue would drop the history.
    reporting = await startReportingService({
      ...loadConfig({ REPORTING_DATABASE_URL: reportingDb.url, ...events }),
      port: 0,
      logLevel: 'silent',
    });
    monolith = await startMonolith(
      loadMonolithConfig({
        PORT: '0',
        DATABASE_URL: monolithDb.url,
        LOG_LEVEL: 'silent',
        ...events,
      }),
      { logger: createLogger('legacy-monolith', { level: 'silent' }) },
    );
    ledgerEntries = async () => (await getJson(`${monolith.url}/finance/ledger?pageSize=1`)).total;
  }, 120000);

  afterAll(async () => {
    await monolith?.close();
    await reporting?.close();
    await monolithDb.cleanup();
    await reportingDb.cleanup();
    fs.rmSync(brokerDir, { recursive: true, force: true });
  });

  async function caughtUp(): Promise<void> {
    await waitUntil(
      async () =>
        (await getJson(`${reporting.url}/reports/status`)).sales === (await ledgerEntries()),
      'the pump to catch up with the ledger',
    );
  }

  async function expectSameNumbers(query = ''): Promise<void> {
    const finance = (
      await getJson(`${monolith.url}/finance/reports/revenue-by-country${query}`)
    ).map((row: any) => ({
      countryCode: row.countryCode,
      revenueCents: row.revenueCents,
      taxCents: row.taxCents,
    }));
    const pumped = await getJson(`${reporting.url}/reports/revenue-by-country${query}`);
    expect(pumped).toEqual(finance);
    expect(finance.length).toBeGreaterThan(0);
    for (const by of ['revenue', 'units']) {
      const sep = query ? '&' : '?';
      const best = (
        await getJson(
          `${monolith.url}/finance/reports/best-sellers${query}${sep}by=${by}&limit=100`,
        )
      ).map((row: any) => ({
        albumId: row.albumId,
        units: row.units,
        revenueCents: row.revenueCents,
      }));
      expect(
        await getJson(`${reporting.url}/reports/best-sellers${query}${sep}by=${by}&limit=100`),
      ).toEqual(best);
    }
  }

  test('after a seeded run, the reporting database gives the finance reports numbers', async () => {
    await caughtUp();
    await expectSameNumbers();
    await expectSameNumbers('?from=2024-01-01&to=2024-12-31');
  });

  test('after live orders, dispatches and returns, they agree again', async () => {
    const post = async (url: string, body?: unknown): Promise<any> => {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-correlation-id': 'live-orders' },
        body: body ? JSON.stringify(body) : undefined,
      });
      if (!res.ok) throw new Error(`${url}: ${res.status} ${await res.text()}`);
      return res.json();
    };
    const before = await ledgerEntries();
    const orders = [];
    for (let i = 1; i <= 5; i++)
      orders.push(
        await post(`${monolith.url}/warehouse/orders`, {
          customerId: i,
          lines: [
            { albumId: i, quantity: 1 },
            { albumId: i + 10, quantity: 2 },
          ],
        }),
      );
    await post(`${monolith.url}/warehouse/orders/${orders[0].id}/dispatch`);
    await post(`${monolith.url}/warehouse/orders/${orders[0].id}/return`);
    expect(await ledgerEntries()).toBe(before + 6);
    await caughtUp();
    const today = new Date().toISOString().slice(0, 10);
    await expectSameNumbers();
    await expectSameNumbers(`?from=${today}`);
  });
});
