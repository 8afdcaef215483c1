import { ENGINE_ENV } from './engines';
import { PG_ADMIN_URL, probePostgres } from '../../common/src/scratch-database';
import { redactUrl } from '../../common/src/database';

export default async function globalSetup(): Promise<void> {
  if (process.env[ENGINE_ENV]) return;
  const failure = await probePostgres();
  if (!failure) {
    process.env[ENGINE_ENV] = 'yes';
    return;
  }
  const reason = `PostgreSQL unreachable at ${redactUrl(PG_ADMIN_URL)}: ${failure}`;
  if (process.env.CI === 'true') {
    throw new Error(`${reason}. CI=true requires PostgreSQL: start it or set PG_ADMIN_URL.`);
  }
  process.stderr.write(
    `\n[strangler-kit] ${reason}. PostgreSQL tests are skipped; set PG_ADMIN_URL to run them.\n`,
  );
  process.env[ENGINE_ENV] = reason;
}
