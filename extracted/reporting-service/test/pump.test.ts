import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { RunningService } from '../../../common/src/run-service';
import { openEmbeddedBroker } from '../../../events/src/broker/embedded/embedded-broker';
import type { Broker } from '../../../events/src/broker/broker';
import { createEvent } from '../../../events/src/envelope';
import { loadSubscriptionFile } from '../../../events/src/subscription-file';
import { DEFAULT_SUBSCRIPTION_FILE, loadConfig } from '../src/config';
import { startReportingService } from '../src/main';

function orderPlaced(orderId: number) {
  const event = createEvent({
    type: 'warehouse.order.placed',
    source: 'test',
    entity: { type: 'order', id: orderId, link: `/warehouse/orders/${orderId}` },
    data: {
      orderId,
      customerId: 1,
      countryCode: 'GB',
      subtotalCents: 1000,
      taxCents: 200,
      totalCents: 1200,
      lines: [{ albumId: 7, quantity: 1, unitPriceCents: 1000, amountCents: 1000 }],
      giftWrap: 'added by a newer warehouse',
    },
  });
  return { eventId: event.id, routingKey: event.type, body: JSON.stringify(event) };
}

async function waitUntil(
  check: () => Promise<boolean>,
  what: string,
  timeoutMs = 20000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('reporting pump: a poison message (an order placed twice under two event ids)', () => {
  let dir: string;
  let broker: Broker;
  let service: RunningService;

  async function start(subscription: string): Promise<void> {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'strangler-poison-'));
    const file = path.join(dir, 'subscription.yaml');
    fs.writeFileSync(file, subscription);
    broker = await openEmbeddedBroker({
      engine: 'sqlite',
      location: path.join(dir, 'broker.sqlite'),
    });
    service = await startReportingService({
      ...loadConfig({
        REPORTING_DATABASE_URL: `sqlite:${path.join(dir, 'reporting.sqlite')}`,
        REPORTING_SUBSCRIPTION_FILE: file,
        EVENTS_BROKER_URL: `sqlite:${path.join(dir, 'broker.sqlite')}`,
      }),
      port: 0,
      logLevel: 'silent',
    });
    const good = Array.from({ length: 20 }, (_, i) => orderPlaced(i + 1));
    await broker.publish([...good.slice(0, 10), orderPlaced(5), ...good.slice(10)]);
  }
  const sales = async () =>
    ((await (await fetch(`${service.url}/reports/status`)).json()) as { sales: number }).sales;

  afterEach(async () => {
    await service.close();
    await broker.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('with a delivery limit it lands in the dead-letter queue with the error, and the 20 good orders are reported', async () => {
    await start(
      'name: reporting-pump\ntopics: [warehouse.order.*]\nretry: { deliveryLimit: 3, firstDelayMs: 20, maxDelayMs: 50 }\n',
    );
    await waitUntil(async () => (await broker.deadLetters.list()).length === 1, 'the dead letter');
    await waitUntil(async () => (await sales()) === 20, 'the 20 good orders');
    const [letter] = await broker.deadLetters.list();
    expect(letter).toMatchObject({ subscriber: 'reporting-pump', deliveries: 3 });
    expect(letter.reason).toMatch(/^failed 3 of 3 deliveries; last error: .*(UNIQUE|unique)/);
  });

  test('without one (the shipped setting) it is retried on and on: the rest still flow, nothing reaches the dead-letter queue', async () => {
    expect(loadSubscriptionFile(DEFAULT_SUBSCRIPTION_FILE).retry.deliveryLimit).toBe('unlimited');
    await start(
      'name: reporting-pump\ntopics: [warehouse.order.*]\nretry: { deliveryLimit: unlimited, firstDelayMs: 20, maxDelayMs: 40 }\n',
    );
    await waitUntil(async () => (await sales()) === 20, 'the 20 good orders');
    const retried = async () =>
      Number(
        /events_consumed_total\{consumer="reporting-pump",outcome="retried"\} (\d+)/.exec(
          await (await fetch(`${service.url}/metrics`)).text(),
        )?.[1] ?? 0,
      );
    await waitUntil(async () => (await retried()) >= 6, 'six retries of the poison message');
    expect(await broker.deadLetters.list()).toEqual([]);
  });
});

test('a subscription file with a bad limit stops start-up naming the file and the field', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'strangler-subscription-'));
  const file = path.join(dir, 'subscription.yaml');
  fs.writeFileSync(
    file,
    'name: reporting-pump\ntopics: [warehouse.order.*]\nretry: { deliveryLimit: 0 }\n',
  );
  try {
    expect(() => loadConfig({ REPORTING_SUBSCRIPTION_FILE: file })).toThrow(
      `${file}: retry.deliveryLimit: a number of deliveries from 1 to 1000, or unlimited (example: deliveryLimit: 5)`,
    );
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
