import { parseScale } from './commands/db';
import { DEFAULT_PORTS, type DemoPorts, startDemoStack } from './start-stack';

// `npm start`: the whole demo stack on embedded SQLite. STRANGLER_DEMO_PORTS
// (monolith,catalog,finance,proxy,admin) moves it, e.g. for a second copy or a test.
function readPorts(value: string | undefined): DemoPorts {
  if (!value) return DEFAULT_PORTS;
  const numbers = value.split(',').map(Number);
  if (numbers.length !== 5 || numbers.some((n) => !Number.isInteger(n) || n < 1 || n > 65535)) {
    throw new Error(
      `STRANGLER_DEMO_PORTS must be five ports: monolith,catalog,finance,proxy,admin (got "${value}"), e.g. 3000,4001,4002,8080,8081`,
    );
  }
  const [monolith, catalog, finance, proxy, admin] = numbers;
  return { monolith, catalog, finance, proxy, admin };
}

try {
  startDemoStack({
    scale: parseScale(process.env.SEED_SCALE ?? '1', 'SEED_SCALE'),
    ports: readPorts(process.env.STRANGLER_DEMO_PORTS),
    routesFile: process.env.ROUTES_FILE,
  }).catch((error) => {
    process.stderr.write(`error: ${(error as Error).message}\n`);
    process.exit(2);
  });
} catch (error) {
  process.stderr.write(`error: ${(error as Error).message}\n`);
  process.exit(2);
}
