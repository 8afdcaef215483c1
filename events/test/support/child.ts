// A relay or a consumer in a process of its own, so a test can kill it for real (EVENTS_CRASH_AT).
import { openDatabase, parseDatabaseUrl } from '../../../common/src/database';
import { openBroker } from '../../src/broker/open-broker';
import { loadEventsEnvironment } from '../../src/config';
import { startConsumer } from '../../src/consumer/consumer';
import { startRelay } from '../../src/outbox/relay';
import { effectHandlers } from './effects';

async function main(): Promise<void> {
  const role = process.argv[2];
  const db = openDatabase(parseDatabaseUrl(process.env.APP_DATABASE_URL, 'app'));
  // A short lease: a killed consumer's deliveries go to the next one after 2 s, not 30.
  const broker = await openBroker(loadEventsEnvironment().broker, { pollMs: 10, leaseMs: 2000 });
  if (role === 'relay')
    startRelay({ db, broker, batchSize: Number(process.env.RELAY_BATCH ?? 100), pollMs: 10 });
  else
    await startConsumer({
      name: 'effects',
      db,
      broker,
      topics: ['thing.#'],
      prefetch: 8,
      retry: { deliveryLimit: 10, firstDelayMs: 20, maxDelayMs: 100 },
      handlers: effectHandlers(),
    });
  process.stdout.write('ready\n');
}

main().catch((error) => {
  process.stderr.write(`${(error as Error).stack}\n`);
  process.exit(1);
});
