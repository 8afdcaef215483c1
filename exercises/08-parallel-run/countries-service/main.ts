// npx tsx exercises/08-parallel-run/countries-service/main.ts   (PORT=4005 by default)
import { createCountriesApp } from './app';

const port = Number(process.env.PORT ?? 4005);
const server = createCountriesApp().listen(port, '127.0.0.1', () => {
  process.stdout.write(`countries-service: http://127.0.0.1:${port}/countries\n`);
});
const stop = () => server.close(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
