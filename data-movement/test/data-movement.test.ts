import { Command } from 'commander';
import { describeEachEngine } from '../../test/support/engines';
import { registerDataCommands } from '../src/cli';
import { backfillFlow } from '../src/backfill';
import type { Endpoints } from '../src/endpoints';
import type { Flow } from '../src/table-spec';
import { syncFlow } from '../src/sync';
import { verifyFlow } from '../src/verify';
import { createMovingData, type MovingData, quietStream } from './support/endpoints';

/** Runs `strangler data …` in-process and returns its exit code and stdout. */
async function runCli(args: string[]): Promise<{ code: number; out: string }> {
  const program = new Command('strangler').exitOverride();
  registerDataCommands(program);
  let out = '';
  const stdout = jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    out += String(chunk);
    return true;
  });
  const stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
  const saved = process.exitCode;
  try {
    await program.parseAsync(['node', 'strangler', 'data', ...args]);
    return { code: Number(process.exitCode ?? 0), out };
  } finally {
    process.exitCode = saved;
    stdout.mockRestore();
    stderr.mockRestore();
  }
}

describeEachEngine('strangler data backfill / verify / sync', (engine) => {
  let data: MovingData;
  let endpoints: Endpoints;
  let catalog: Flow;

  beforeAll(async () => {
    data = await createMovingData(engine, 'catalog', {
      artists: 20,
      albumsPerArtist: 5,
      tracksPerAlbum: 3,
      orders: 5,
    });
    endpoints = await data.open();
    catalog = data.flow;
  });

  afterAll(async () => {
    await endpoints?.close();
    await data?.cleanup();
  });

  const counts = async () =>
    Object.fromEntries(
      await Promise.all(
        catalog.tables.map(async ({ to }) => [
          to.name,
          Number((await endpoints.target(to.name).count({ n: '*' }).first())?.n),
        ]),
      ),
    );

  test('when the backfill has not finished, then sync refuses to run', async () => {
    await expect(syncFlow(endpoints, catalog)).rejects.toMatchObject({
      code: 'ERR_DATA_BACKFILL_INCOMPLETE',
      exitCode: 2,
    });
  });

  test('backfill copies every table in small batches and verify finds them identical', async () => {
    const result = await backfillFlow(endpoints, catalog, {
      batchSize: 7,
      progressStream: quietStream,
    });
    expect(result.map((t) => [t.table, t.copied])).toEqual([
      ['artists', 20],
      ['albums', 100],
      ['tracks', 300],
    ]);
    expect(await counts()).toEqual({ artists: 20, albums: 100, tracks: 300 });
    const verdicts = await verifyFlow(endpoints, catalog, { batchSize: 13 });
    expect(verdicts.every((v) => v.equal)).toBe(true);
    expect(verdicts[2]).toMatchObject({ sourceRows: 300, targetRows: 300 });
    expect(verdicts[2].sourceChecksum).toBe(verdicts[2].targetChecksum);
  });

  test('when a backfill runs again, then finished tables are skipped; with --restart, then it copies again (streamed) without duplicating', async () => {
    expect(
      (await backfillFlow(endpoints, catalog, { progressStream: quietStream })).every(
        (t) => t.skipped,
      ),
    ).toBe(true);
    // streamed: rows go through Node even SQLite → SQLite (100-row statements plus single-row leftovers).
    const again = await backfillFlow(endpoints, catalog, {
      restart: true,
      batchSize: 250,
      streamed: true,
      progressStream: quietStream,
    });
    expect(again.map((t) => t.copied)).toEqual([20, 100, 300]);
    expect(await counts()).toEqual({ artists: 20, albums: 100, tracks: 300 });
    expect((await verifyFlow(endpoints, catalog)).every((v) => v.equal)).toBe(true);
  });

  test('when a backfill is done, then the service can insert (sequences moved past copied ids)', async () => {
    const [row] = await endpoints
      .target('artists')
      .insert({ name: 'Service-made' })
      .returning('id');
    expect(Number(row.id)).toBe(21);
    await endpoints.target('artists').where({ id: row.id }).del();
  });

  test('verify names missing, extra and changed keys', async () => {
    await endpoints.target('tracks').where({ id: 5 }).del();
    await endpoints.target('albums').where({ id: 9 }).update({ price_cents: 1 });
    await endpoints.target('artists').insert({ id: 999, name: 'Stray' });
    const byTable = Object.fromEntries(
      (await verifyFlow(endpoints, catalog)).map((v) => [v.table, v]),
    );
    expect(byTable.tracks).toMatchObject({
      equal: false,
      missingInTarget: [5],
      sourceRows: 300,
      targetRows: 299,
    });
    expect(byTable.albums).toMatchObject({ equal: false, changed: [9], differences: 1 });
    expect(byTable.artists).toMatchObject({ equal: false, extraInTarget: [999] });
    expect(byTable.albums.sourceChecksum).not.toBe(byTable.albums.targetChecksum);
    await endpoints.target('artists').where({ id: 999 }).del();
    await backfillFlow(endpoints, catalog, { restart: true, progressStream: quietStream });
    // The writes above (and the service's insert before) were made on the side that does not
    // own the data: conflicts, until a person lets the owner's versions win.
    await expect(syncFlow(endpoints, catalog)).resolves.toMatchObject({ applied: 0 });
    await syncFlow(endpoints, catalog, { overwriteConflicts: true });
  });

  test('when the monolith inserts, updates, re-keys and deletes, then sync applies each and reports no lag', async () => {
    const { source } = endpoints;
    const [artist] = await source('artists').insert({ name: "O'Brien" }).returning('id');
    await source('albums').insert({
      title: 'New',
      artist_id: artist.id,
      genre: 'folk',
      release_year: 2026,
      price_cents: 100,
      created_at: '2026-03-01T00:00:00.000Z',
    });
    await source('albums').where({ id: 2 }).update({ title: 'Renamed' });
    await source('tracks').where({ id: 1 }).update({ id: 5000 });
    await source('albums').where({ id: 50 }).del(); // cascades to its tracks in both databases
    const result = await syncFlow(endpoints, catalog, { batchSize: 2 });
    expect(result.applied).toBeGreaterThanOrEqual(6);
    expect(result.pending).toBe(0);
    expect((await verifyFlow(endpoints, catalog)).map((v) => [v.table, v.equal])).toEqual([
      ['artists', true],
      ['albums', true],
      ['tracks', true],
    ]);
    expect(await endpoints.target('albums').where({ id: 2 }).first()).toMatchObject({
      title: 'Renamed',
    });
    expect((await syncFlow(endpoints, catalog)).applied).toBe(0);
  });

  test('when the copies are identical, then verify exits 0; when not, then it exits 1 naming the key and sync fixes it; bad usage exits 2', async () => {
    const urls = [
      '--spec',
      data.specFile,
      '--source',
      data.monolith.url,
      '--target',
      data.service.url,
    ];
    expect(await runCli(['verify', 'catalog', ...urls])).toEqual({
      code: 0,
      out: expect.stringContaining('all tables identical'),
    });
    await endpoints.source('artists').where({ id: 2 }).update({ name: 'Changed' });
    const differing = await runCli(['verify', 'catalog', ...urls]);
    expect(differing.code).toBe(1);
    expect(differing.out).toMatch(/artists .* DIFFERENT \(1 keys\)\n {4}changed: 2/);
    expect((await runCli(['sync', 'catalog', ...urls])).out).toMatch(
      /applied 1 changes; lag 0 pending/,
    );
    expect((await runCli(['verify', 'catalog', '--json', ...urls])).code).toBe(0);
    expect((await runCli(['backfill', 'catalog', ...urls])).code).toBe(0);
    expect((await runCli(['verify', 'catalogue', ...urls])).code).toBe(2);
    expect((await runCli(['backfill', 'catalog', '--batch-size', 'lots', ...urls])).code).toBe(2);
  });

  test('when finance data moves, then countries (text key) and the ledger arrive without their foreign keys', async () => {
    const financeData = await createMovingData(engine, 'finance', {
      artists: 2,
      albumsPerArtist: 2,
      tracksPerAlbum: 0,
      orders: 12,
    });
    const finance = await financeData.open();
    try {
      await backfillFlow(finance, financeData.flow, {
        batchSize: 5,
        progressStream: quietStream,
      });
      await finance.source('countries').where({ code: 'FR' }).update({ tax_rate_bp: 2100 });
      await syncFlow(finance, financeData.flow);
      const verdicts = await verifyFlow(finance, financeData.flow);
      expect(verdicts.map((v) => [v.table, v.sourceRows, v.equal])).toEqual([
        ['countries', 3, true],
        ['ledger_entries', 12, true],
        ['ledger_lines', 12, true],
      ]);
    } finally {
      await finance.close();
      await financeData.cleanup();
    }
  });
});
