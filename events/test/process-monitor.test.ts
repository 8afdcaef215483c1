import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Knex } from 'knex';
import { Registry } from 'prom-client';
import {
  describeEachEngine,
  createMigratedDatabase,
  type MigratedDatabase,
} from '../../test/support/engines';
import { openEmbeddedBroker } from '../src/broker/embedded/embedded-broker';
import type { Broker } from '../src/broker/broker';
import { startConsumer } from '../src/consumer/consumer';
import { createEvent } from '../src/envelope';
import { loadMonitorConfig } from '../src/monitor/monitor-config';
import { startProcessMonitor } from '../src/monitor/main';
import { loadProcessFile } from '../src/monitor/process-file';
import { createProcessMonitor } from '../src/monitor/process-monitor';
import { asMessage } from './support/events';
import { waitUntil } from './support/wait';

const PROCESSES = path.resolve(__dirname, '..', '..', 'legacy-monolith', 'processes.yaml');
const T0 = Date.parse('2026-03-01T12:00:00.000Z');
const at = (seconds: number) => new Date(T0 + seconds * 1000).toISOString();

const orderEvent = (type: string, orderId: number, seconds: number) =>
  createEvent({
    type,
    source: 'test',
    entity: { type: 'order', id: orderId, link: `/warehouse/orders/${orderId}` },
    data: { orderId },
    occurredAt: at(seconds),
  });

describeEachEngine('business-process monitor', (engine) => {
  let temp: MigratedDatabase;
  let db: Knex;
  let dir: string;
  let broker: Broker;

  beforeEach(async () => {
    temp = await createMigratedDatabase(engine, 'process-monitor', 'monitor');
    db = temp.db;
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'strangler-monitor-'));
    broker = await openEmbeddedBroker(
      { engine: 'sqlite', location: path.join(dir, 'broker.sqlite') },
      { pollMs: 10 },
    );
  });
  afterEach(async () => {
    await broker.close();
    await db.destroy();
    await temp.cleanup();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('when steps arrive in any order, then instances are counted completed, completed late, in progress and overdue (past the deadline)', async () => {
    let now = T0 + 60_000;
    const monitor = createProcessMonitor({
      db,
      processes: loadProcessFile(PROCESSES),
      now: () => now,
    });
    await startConsumer({
      name: 'process-monitor',
      db,
      broker,
      topics: ['#'],
      handlers: monitor.handlers(),
    });
    await broker.publish(
      [
        // 1: complete within 2 minutes, steps before the start
        orderEvent('finance.payment.booked', 1, 1),
        orderEvent('warehouse.pick-list.issued', 1, 2),
        orderEvent('warehouse.order.placed', 1, 0),
        // 2: paid, never picked
        orderEvent('warehouse.order.placed', 2, 10),
        orderEvent('finance.payment.booked', 2, 11),
        // 3: complete, but the pick list came 5 minutes late
        orderEvent('warehouse.order.placed', 3, 0),
        orderEvent('finance.payment.booked', 3, 1),
        orderEvent('warehouse.pick-list.issued', 3, 300),
        // 4: a step whose start never came is no instance
        orderEvent('finance.payment.booked', 4, 5),
      ].map(asMessage),
    );
    const fulfilment = async () =>
      (await monitor.summary()).find((s) => s.name === 'order-fulfilment')!;
    await waitUntil(async () => (await fulfilment()).started === 3, 'three instances');
    await waitUntil(async () => (await fulfilment()).completed === 2, 'two completed');
    expect(await fulfilment()).toMatchObject({
      started: 3,
      completed: 2,
      completedLate: 1,
      inProgress: 1,
      overdue: 0,
    });
    now = T0 + 10 * 60_000;
    expect(await fulfilment()).toMatchObject({
      inProgress: 0,
      overdue: 1,
      oldestOverdue: [{ key: '2', startedAt: at(10), missing: ['warehouse.pick-list.issued'] }],
    });
    const registry = new Registry();
    monitor.registerMetrics(registry);
    const text = await registry.metrics();
    expect(text).toContain(
      'business_process_instances{process="order-fulfilment",state="overdue"} 1',
    );
    expect(text).toContain(
      'business_process_instances{process="order-fulfilment",state="completed_late"} 1',
    );
    expect(text).toContain(
      'business_process_instances{process="customer-onboarding",state="overdue"} 0',
    );
  });

  test('the monitor service serves /processes and /metrics from its own database', async () => {
    const service = await startProcessMonitor({
      ...loadMonitorConfig({
        MONITOR_PROCESSES_FILE: PROCESSES,
        MONITOR_DATABASE_URL: temp.url,
        EVENTS_BROKER_URL: `sqlite:${path.join(dir, 'broker.sqlite')}`,
      }),
      port: 0,
      logLevel: 'silent',
    });
    try {
      await broker.publish([orderEvent('warehouse.order.placed', 9, 0)].map(asMessage));
      await waitUntil(
        async () =>
          ((await (await fetch(`${service.url}/processes`)).json()) as any)[0].started === 1,
        'the instance',
      );
      const metrics = await (await fetch(`${service.url}/metrics`)).text();
      expect(metrics).toMatch(
        /business_process_instances\{process="order-fulfilment",state="overdue"\} 1/,
      );
      expect(metrics).toMatch(
        /events_consumed_total\{consumer="process-monitor",outcome="handled"\} 1/,
      );
    } finally {
      await service.close();
    }
  });

  test('when the processes file is bad, then the message names the field and the fix', () => {
    const file = path.join(dir, 'bad.yaml');
    fs.writeFileSync(
      file,
      'processes:\n  - name: x\n    start: order.placed\n    steps: [order.paid]\n    deadline: soon\n',
    );
    expect(() => loadProcessFile(file)).toThrow(
      `${file}: processes.0.deadline: a duration like 30s, 5m or 2h`,
    );
  });
});
