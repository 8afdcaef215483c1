import { Command } from 'commander';
import { UsageError } from '../../common/src/cli';
import { readInteger } from '../../common/src/cli-options';
import type { Engine } from '../../common/src/database';
import { migrateLatest } from '../../common/src/migrate';
import {
  createTemporaryDatabase,
  forEachReachableEngine,
  type TemporaryDatabase,
} from '../../common/src/scratch-database';
import { backfillFlow } from '../src/backfill';
import { flowOf, openDataSet, orient } from '../src/endpoints';
import { findDataSet, loadSpec } from '../src/spec/load-spec';
import { verifyFlow } from '../src/verify';
import { copyPostgresRaw, copySqliteRaw } from './baselines';
import { seedCatalogRows } from './seed-rows';

const catalog = findDataSet(loadSpec(), 'catalog');
const openFlow = async (source: string, target: string) =>
  orient(await openDataSet(catalog, { source, target }), 'source');
const seconds = (started: bigint) => Number(process.hrtime.bigint() - started) / 1e9;
const perSecond = (rows: number, s: number) => Math.round(rows / s).toLocaleString('en-US');

async function timed(work: () => Promise<unknown>): Promise<number> {
  const started = process.hrtime.bigint();
  await work();
  return seconds(started);
}

/** Backfill vs the raw engine copy, into fresh service databases, in the same run. */
async function benchEngine(engine: Engine, rows: number, batchSize: number): Promise<void> {
  const databases: TemporaryDatabase[] = [];
  const create = async (label: string) => {
    const db = await createTemporaryDatabase(engine, label);
    databases.push(db);
    return db;
  };
  try {
    const monolith = await create('bench-monolith');
    const seedDb = monolith.open();
    await migrateLatest(seedDb, 'legacy-monolith');
    process.stderr.write(`[${engine}] seeding ${rows.toLocaleString('en-US')} catalog rows…\n`);
    await seedCatalogRows(seedDb, rows);

    const raw = await create('bench-raw');
    const rawDb = raw.open();
    await migrateLatest(rawDb, 'catalog-service');
    const spec = flowOf(catalog, 'source');
    const rawSeconds = await timed(() =>
      engine === 'sqlite'
        ? copySqliteRaw(rawDb, monolith.target.location, spec)
        : copyPostgresRaw(seedDb, rawDb, spec),
    );
    await rawDb.destroy();
    await seedDb.destroy();

    // SQLite → SQLite normally copies inside SQLite (ATTACH); the streamed path is what any cross-engine move uses.
    let streamedLine = '';
    if (engine === 'sqlite') {
      const streamed = await create('bench-streamed');
      const { endpoints: streamedEndpoints } = await openFlow(monolith.url, streamed.url);
      const streamedSeconds = await timed(() =>
        backfillFlow(streamedEndpoints, spec, {
          batchSize,
          streamed: true,
          progressStream: process.stderr,
        }),
      );
      await streamedEndpoints.close();
      streamedLine = `  backfill, rows streamed via Node: ${streamedSeconds.toFixed(2)}s  ${perSecond(rows, streamedSeconds)} rows/s  ratio ${(rawSeconds / streamedSeconds).toFixed(2)}x\n`;
    }

    const service = await create('bench-service');
    const { endpoints } = await openFlow(monolith.url, service.url);
    const backfillSeconds = await timed(() => backfillFlow(endpoints, spec, { batchSize }));
    let equal = false;
    const verifySeconds = await timed(async () => {
      equal = (await verifyFlow(endpoints, spec)).every((v) => v.equal);
    });
    await endpoints.close();

    const baseline = engine === 'sqlite' ? 'ATTACH + INSERT…SELECT' : 'COPY out + COPY in';
    process.stdout.write(
      [
        `[${engine}] ${rows.toLocaleString('en-US')} rows, batch ${batchSize}`,
        `  raw baseline (${baseline}): ${rawSeconds.toFixed(2)}s  ${perSecond(rows, rawSeconds)} rows/s`,
        `  strangler data backfill:      ${backfillSeconds.toFixed(2)}s  ${perSecond(rows, backfillSeconds)} rows/s${engine === 'sqlite' ? ' (ATTACH fast path)' : ' (unnest upserts)'}`,
        `  ratio backfill / raw:         ${(rawSeconds / backfillSeconds).toFixed(2)}x (target ≥ 0.5x)`,
        ...(streamedLine ? [streamedLine.trimEnd()] : []),
        `  strangler data verify:        ${verifySeconds.toFixed(2)}s  ${perSecond(rows * 2, verifySeconds)} rows/s read (both sides), ${equal ? 'identical' : 'DIFFERENT'}`,
        '',
      ].join('\n'),
    );
  } finally {
    for (const db of databases) await db.cleanup();
  }
}

async function main(): Promise<void> {
  const program = new Command('bench:data')
    .option('--rows <n>', 'rows to move (artists 1%, albums 9%, tracks 90%)', '1000000')
    .option('--batch-size <n>', 'backfill batch size', '5000')
    .option(
      '--engines <list>',
      'sqlite,postgres (postgres skipped with a reason when unreachable)',
      'sqlite,postgres',
    )
    .parse();
  const options = program.opts<{ rows: string; batchSize: string; engines: string }>();
  const rows = readInteger(options.rows, { flag: '--rows', min: 100, example: '--rows 100000' });
  const batchSize = readInteger(options.batchSize, {
    flag: '--batch-size',
    min: 1,
    example: '--batch-size 5000',
  });
  await forEachReachableEngine(options.engines, (engine) => benchEngine(engine, rows, batchSize));
}

main().catch((error: Error) => {
  if (error instanceof UsageError) {
    process.stderr.write(`bench:data: ${error.message}\n`);
    process.exitCode = 2;
    return;
  }
  process.stderr.write(`bench:data failed: ${error.stack ?? error.message}\n`);
  process.exitCode = 1;
});
