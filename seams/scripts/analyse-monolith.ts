// `npm run seams [-- more options]`: the bundled monolith with its database.
// Migrates data/monolith.sqlite (or DATABASE_URL) first, idempotently and keeping
// its rows, so the analysis works on a fresh clone; later options override these.
import path from 'node:path';
import { createProgram } from '../../common/src/cli';
import { openDatabase, parseDatabaseUrl } from '../../common/src/database';
import { migrateLatest } from '../../common/src/migrate';
import { registerSeamsCommands } from '../src/cli';

const REPO = path.resolve(__dirname, '..', '..');

async function main(): Promise<void> {
  const target = parseDatabaseUrl(process.env.DATABASE_URL, 'monolith');
  const db = openDatabase(target);
  try {
    await migrateLatest(db, 'legacy-monolith');
  } finally {
    await db.destroy();
  }
  const program = createProgram('strangler', 'seam analysis of the bundled monolith');
  registerSeamsCommands(program);
  const defaults = [
    '--root',
    path.join(REPO, 'legacy-monolith', 'src'),
    '--config',
    path.join(REPO, 'legacy-monolith', 'seams.yaml'),
    '--db',
    target.location,
  ];
  await program.parseAsync([
    process.argv[0],
    process.argv[1],
    'seams',
    ...defaults,
    ...process.argv.slice(2),
  ]);
}

main().catch((error: Error) => {
  process.stderr.write(`error: ${error.message}\n`);
  process.exitCode = 2;
});
