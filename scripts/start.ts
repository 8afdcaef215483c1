import { startDemoStack } from './start-stack';

// `npm start`: the whole demo stack on embedded SQLite.
startDemoStack({ scale: Number(process.env.SEED_SCALE ?? 1) }).catch((error) => {
  process.stderr.write(`error: ${(error as Error).message}\n`);
  process.exit(2);
});
