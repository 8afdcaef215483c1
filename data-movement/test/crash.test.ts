import type { Engine } from '../../common/src/database';
import { describeEachEngine, postgresAvailability } from '../../test/support/engines';
import { type TableVerdict, verifyFlow } from '../src/verify';
import { createMovingData } from './support/endpoints';
import { runDataCommand } from './support/run-child';

const CRASHES = 5;
// Each run crashes within its first three batches (two crash points per batch:
// inside the transaction before commit, and just after commit), so all CRASHES
// land before the work is done.
const MAX_POINT = 6;

interface CrashRun {
  /** One entry per killed run: its crash point and how it ended (expected: SIGKILL). */
  crashes: { point: number; signal: string | null; stderr: string }[];
  final: { code: number | null; stderr: string };
  verdicts: Pick<TableVerdict, 'table' | 'targetRows' | 'equal'>[];
}

/** Kills the command at a random crash point CRASHES times, then lets it finish. */
async function crashThenFinish(args: string[]): Promise<Pick<CrashRun, 'crashes' | 'final'>> {
  const crashes: CrashRun['crashes'] = [];
  for (let i = 0; i < CRASHES; i += 1) {
    const point = 1 + Math.floor(Math.random() * MAX_POINT);
    const outcome = await runDataCommand(args, point);
    crashes.push({ point, signal: outcome.signal, stderr: outcome.signal ? '' : outcome.stderr });
  }
  const final = await runDataCommand(args);
  return { crashes, final: { code: final.code, stderr: final.code === 0 ? '' : final.stderr } };
}

/** The whole story on one engine: backfill under crashes, monolith writes, sync under crashes. */
async function runScenario(engine: Engine): Promise<{ backfill: CrashRun; sync: CrashRun }> {
  const data = await createMovingData(engine, 'catalog', {
    artists: 10,
    albumsPerArtist: 10,
    tracksPerAlbum: 4,
    orders: 0,
  });
  const endpoints = await data.open();
  const urls = [
    '--spec',
    data.specFile,
    '--source',
    data.monolith.url,
    '--target',
    data.service.url,
  ];
  const summarise = async () =>
    (await verifyFlow(endpoints, data.flow)).map(({ table, targetRows, equal }) => ({
      table,
      targetRows,
      equal,
    }));
  try {
    // 510 rows in batches of 25: 23 batches, more than CRASHES × 3.
    const backfill = {
      ...(await crashThenFinish(['backfill', 'catalog', '--batch-size', '25', ...urls])),
      verdicts: await summarise(),
    };
    const { source } = endpoints;
    await source('albums').update({ price_cents: source.raw('price_cents + 7000') });
    await source('tracks').where('id', '<=', 60).del();
    await source('artists').insert(Array.from({ length: 20 }, (_, i) => ({ name: `Late ${i}` })));
    // 180 changes in batches of 10: 18 steps, more than CRASHES × 3.
    const sync = {
      ...(await crashThenFinish(['sync', 'catalog', '--batch-size', '10', ...urls])),
      verdicts: await summarise(),
    };
    return { backfill, sync };
  } finally {
    await endpoints.close();
    await data.cleanup();
  }
}

// Both engines' scenarios start at once (their children are separate processes,
// so the two sequences overlap); each test awaits and checks its part.
const scenarios = new Map<Engine, Promise<{ backfill: CrashRun; sync: CrashRun }>>();
beforeAll(() => {
  const engines: Engine[] = postgresAvailability().available ? ['sqlite', 'postgres'] : ['sqlite'];
  for (const engine of engines) {
    const run = runScenario(engine);
    run.catch(() => undefined); // reported by the tests that await it
    scenarios.set(engine, run);
  }
});

const expectKilledEveryTime = (run: CrashRun) => {
  expect(run.crashes).toHaveLength(CRASHES);
  for (const crash of run.crashes)
    expect(crash).toEqual({ point: crash.point, signal: 'SIGKILL', stderr: '' });
  expect(run.final).toEqual({ code: 0, stderr: '' });
};

describeEachEngine('data movement survives crashes', (engine) => {
  test(`when backfill is killed ${CRASHES} times at random points, then it resumes to an identical copy`, async () => {
    const { backfill } = await scenarios.get(engine)!;
    expectKilledEveryTime(backfill);
    expect(backfill.verdicts).toEqual([
      { table: 'artists', targetRows: 10, equal: true },
      { table: 'albums', targetRows: 100, equal: true },
      { table: 'tracks', targetRows: 400, equal: true },
    ]);
  }, 120_000);

  test(`when sync is killed ${CRASHES} times at random points, then it converges on the monolith`, async () => {
    const { sync } = await scenarios.get(engine)!;
    expectKilledEveryTime(sync);
    expect(sync.verdicts).toEqual([
      { table: 'artists', targetRows: 30, equal: true },
      { table: 'albums', targetRows: 100, equal: true },
      { table: 'tracks', targetRows: 340, equal: true },
    ]);
  }, 120_000);
});
