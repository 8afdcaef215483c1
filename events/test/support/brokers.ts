import {
  postgresAvailability,
  createTemporaryDatabase,
  type TemporaryDatabase,
} from '../../../test/support/engines';
import type { Broker } from '../../src/broker/broker';
import { openBroker, type OpenBrokerOptions } from '../../src/broker/open-broker';
import { parseBrokerUrl } from '../../src/config';
import { deleteTopology, RABBIT_URL, rabbitAvailability, testExchange } from './rabbit';

export type BrokerLabel = 'sqlite' | 'postgres' | 'rabbitmq';

/** One broker under test, isolated from every other test: its own database or exchange. */
export interface BrokerCase {
  label: BrokerLabel;
  /** EVENTS_BROKER_URL and EVENTS_EXCHANGE for a child process. */
  env: Record<string, string>;
  open(options?: OpenBrokerOptions): Promise<Broker>;
  /** Closes what `open` opened and removes the database or the RabbitMQ queues. */
  cleanup(): Promise<void>;
}

async function createCase(label: BrokerLabel): Promise<BrokerCase> {
  let database: TemporaryDatabase | undefined;
  let url: string;
  const exchange = testExchange();
  if (label === 'rabbitmq') url = RABBIT_URL;
  else {
    database = await createTemporaryDatabase(label, 'broker');
    url = database.url;
  }
  const opened: Broker[] = [];
  const subscribers = new Set<string>();
  const delays = new Set<number>();
  return {
    label,
    env: { EVENTS_BROKER_URL: url, EVENTS_EXCHANGE: exchange },
    async open(options = {}) {
      const broker = await openBroker(parseBrokerUrl(url, exchange), { pollMs: 10, ...options });
      opened.push(broker);
      const remember = (name: string, retry: { firstDelayMs: number; maxDelayMs: number }) => {
        subscribers.add(name);
        for (let d = retry.firstDelayMs; d < retry.maxDelayMs; d *= 2) delays.add(d);
        delays.add(retry.maxDelayMs);
      };
      const declare = broker.declare.bind(broker);
      const subscribe = broker.subscribe.bind(broker);
      return Object.assign(broker, {
        declare: (o: Parameters<Broker['declare']>[0]) => {
          remember(o.name, o.retry);
          return declare(o);
        },
        subscribe: (...args: Parameters<Broker['subscribe']>) => {
          remember(args[0].name, args[0].retry);
          return subscribe(...args);
        },
      });
    },
    async cleanup() {
      await Promise.all(opened.map((broker) => broker.close().catch(() => undefined)));
      if (database) await database.cleanup();
      else await deleteTopology(exchange, [...subscribers], [...delays]);
    },
  };
}

/**
 * Declares the same tests once per broker: embedded on SQLite, embedded on PostgreSQL, RabbitMQ.
 * Unreachable servers skip with the reason printed (CI=true fails in the global setup instead).
 *
 * @example describeEachBroker('retries', (brokerCase) => { test('…', async () => { const broker = await brokerCase().open(); }) })
 */
export function describeEachBroker(
  title: string,
  body: (current: () => BrokerCase) => void,
  only: BrokerLabel[] = ['sqlite', 'postgres', 'rabbitmq'],
): void {
  for (const label of only) {
    const availability =
      label === 'postgres'
        ? postgresAvailability()
        : label === 'rabbitmq'
          ? rabbitAvailability()
          : { available: true, reason: '' };
    const name = `${title} [${label}]`;
    if (!availability.available) {
      process.stderr.write(`[strangler-kit] skipping "${name}": ${availability.reason}\n`);
      describe.skip(`${name} (skipped: ${availability.reason})`, () =>
        body(() => undefined as never));
      continue;
    }
    describe(name, () => {
      let current: BrokerCase | undefined;
      beforeEach(async () => {
        current = await createCase(label);
      });
      afterEach(async () => {
        await current?.cleanup();
        current = undefined;
      });
      body(() => {
        if (!current) throw new Error('broker case used outside a test');
        return current;
      });
    });
  }
}
