import { RABBIT_ENV, RABBIT_URL, probeRabbit } from './rabbit';

/** Probes RabbitMQ once for the events project: 'yes', or the reason its tests are skipped. */
export default async function globalSetup(): Promise<void> {
  if (process.env[RABBIT_ENV]) return;
  const failure = await probeRabbit();
  if (!failure) {
    process.env[RABBIT_ENV] = 'yes';
    return;
  }
  const reason = `RabbitMQ unreachable at ${RABBIT_URL.replace(/\/\/[^@]*@/, '//***@')}: ${failure}`;
  if (process.env.CI === 'true')
    throw new Error(
      `${reason}. CI=true requires RabbitMQ: start it (rabbitmq-server -detached) or set RABBITMQ_TEST_URL.`,
    );
  process.stderr.write(
    `\n[strangler-kit] ${reason}. RabbitMQ tests are skipped; set RABBITMQ_TEST_URL to run them.\n`,
  );
  process.env[RABBIT_ENV] = reason;
}
