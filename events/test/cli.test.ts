import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runCli } from '../../test/support/run-cli';
import type { Broker } from '../src/broker/broker';
import { openEmbeddedBroker } from '../src/broker/embedded/embedded-broker';
import { asMessage, testEvent } from './support/events';
import { waitUntil } from './support/wait';

describe('npx strangler events dlq', () => {
  let dir: string;
  let url: string;
  let broker: Broker;
  const poison = testEvent('warehouse.order.placed', 1);
  const other = testEvent('warehouse.order.placed', 2);

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'strangler-dlq-'));
    url = `sqlite:${path.join(dir, 'broker.sqlite')}`;
    broker = await openEmbeddedBroker({
      engine: 'sqlite',
      location: path.join(dir, 'broker.sqlite'),
    });
    const retry = { deliveryLimit: 1, firstDelayMs: 10, maxDelayMs: 10 };
    await broker.declare({ name: 'reporting-pump', topics: ['warehouse.#'], retry, prefetch: 1 });
    const subscription = await broker.subscribe(
      { name: 'reporting-pump', topics: ['warehouse.#'], retry, prefetch: 4 },
      async () => ({ kind: 'retry', error: 'UNIQUE constraint failed: report_orders.order_id' }),
    );
    await broker.publish([poison, other].map(asMessage));
    await waitUntil(async () => (await broker.deadLetters.list()).length === 2, 'two dead letters');
    await subscription.close();
  });
  afterAll(async () => {
    await broker.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('list shows each dead letter with its subscriber, type and reason', () => {
    const result = runCli(['events', 'dlq', 'list', '--broker-url', url]);
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(
      /reporting-pump\s+warehouse\.order\.placed\s+1\s+\S+\s+failed 1 of 1 deliveries; last error: UNIQUE constraint failed/,
    );
    expect(result.stdout).toContain('2 dead letters');
  });

  test('show prints the reason and the whole event; an unknown id exits 1 and says where to look', async () => {
    const [letter] = await broker.deadLetters.list();
    const shown = runCli(['events', 'dlq', 'show', letter.id, '--broker-url', url]);
    expect(shown.status).toBe(0);
    expect(shown.stdout).toContain(`"id": "${letter.eventId}"`);
    expect(shown.stdout).toContain('"correlationId": "corr-1"');
    const missing = runCli(['events', 'dlq', 'show', '999', '--broker-url', url]);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain(
      'no dead letter "999"; `npx strangler events dlq list` shows the ids',
    );
  });

  test('replay puts one back on its queue; drop --all needs --yes; bad usage exits 2', async () => {
    const letters = await broker.deadLetters.list();
    const replayed = runCli(['events', 'dlq', 'replay', letters[0].id, '--broker-url', url]);
    expect(replayed.stdout).toContain('replayed 1 dead letter');
    expect(await broker.deadLetters.list()).toHaveLength(1);
    const refused = runCli(['events', 'dlq', 'drop', '--all', '--broker-url', url]);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toContain('add --yes, or replay them instead');
    const noIds = runCli(['events', 'dlq', 'replay', '--broker-url', url]);
    expect(noIds.status).toBe(2);
    expect(noIds.stderr).toContain('name dead letters by id');
    const dropped = runCli(['events', 'dlq', 'drop', '--all', '--yes', '--broker-url', url]);
    expect(dropped.stdout).toContain('dropped 1 dead letter');
    expect(await broker.deadLetters.list()).toEqual([]);
  });

  test('when RabbitMQ is unreachable, then the error is a clear message, not a stack trace', () => {
    const result = runCli([
      'events',
      'dlq',
      'list',
      '--broker-url',
      'amqp://guest:secret@127.0.0.1:1',
    ]);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(
      /^error: cannot open the RabbitMQ at amqp:\/\/guest:\*\*\*@127\.0\.0\.1:1/,
    );
    expect(result.stderr).toContain('rabbitmq-server -detached');
    expect(result.stderr).not.toContain('secret');
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });
});
