import { reorient } from '../../data-movement/src/owned-flow';
import { syncFlow } from '../../data-movement/src/sync';
import { verifyFlow } from '../../data-movement/src/verify';
import { describeEachEngine } from '../support/engines';
import { ADMIN_TOKEN, type HandoverWorld, startHandoverWorld } from '../support/handover-world';

const TOKEN = ADMIN_TOKEN;
const CLIENTS = 4;
// Every recorded step of the handover, in order: the run is killed once at each, then finishes.
const KILL_AT = ['started', 'held', 'drained', 'verified', 'sequences', 'reverse', 'owner', 'spec'];
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
type World = HandoverWorld;

interface Answer {
  status: number;
  id?: number;
  name: string;
  /** Who owned the catalog (per the routes file) when the request was sent. */
  phase: string;
}

/** Kills the handover once at every step (SIGKILL), then lets a last run finish it. */
async function handoverKilledAtEveryStep(world: World, to: string) {
  const kills: { step: string; signal: string | null; stderr: string }[] = [];
  for (const step of KILL_AT) {
    const run = await world.handover(to, { STRANGLER_DATA_CRASH_AT: `handover:${step}` });
    kills.push({ step, signal: run.signal, stderr: run.signal ? '' : run.stderr });
  }
  const final = await world.handover(to);
  return {
    kills,
    final: { code: final.code, stderr: final.code === 0 ? '' : final.stderr },
    out: final.stdout,
  };
}

/** Each refusal leaves the monolith the owner, with no hold left behind. */
async function proveRefusals(world: World): Promise<void> {
  const wrongToken = await world.handover('catalog-service', {
    STRANGLER_ADMIN_TOKEN: 'not-the-admin-token-at-all',
  });
  expect(wrongToken.code).toBe(2);
  expect(wrongToken.stderr).toMatch(
    /refused the admin token \(HTTP 403\): set STRANGLER_ADMIN_TOKEN/,
  );
  const closed = await world.handover(
    'catalog-service',
    { STRANGLER_ADMIN_URL: 'http://127.0.0.1:9' },
    ['--admin-url', 'http://127.0.0.1:9'],
  );
  expect(closed.code).toBe(2);
  expect(closed.stderr).toMatch(
    /admin API at http:\/\/127.0.0.1:9 does not answer .*start the proxy/,
  );

  // A row written on the side that does not own the data: the handover refuses and says what to do.
  const owned = reorient(world.open);
  await owned.endpoints.target('artists').insert({ id: 100_000, name: 'Written behind the proxy' });
  const differs = await world.handover('catalog-service');
  expect(differs.code).toBe(1);
  expect(differs.stderr).toMatch(
    /handover catalog refused: the two sides differ[\s\S]*only in target: 100000[\s\S]*conflicts/,
  );
  expect(world.owner()).toBe('monolith');
  await owned.endpoints.target('artists').where({ id: 100_000 }).del();
  await syncFlow(owned.endpoints, owned.flow, { overwriteConflicts: true });
}

async function proveHandover(world: World): Promise<void> {
  await proveRefusals(world);
  const answers: Answer[] = [];
  let writing = true;
  const client = async (c: number) => {
    for (let i = 0; writing; i += 1) {
      const name = `client ${c} write ${i}`;
      const phase = world.owner();
      try {
        const res = await fetch(`${world.proxy.url}/catalog/artists`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ name }),
        });
        const body = (await res.json().catch(() => null)) as { id?: number } | null;
        answers.push({ status: res.status, id: body?.id, name, phase });
      } catch {
        answers.push({ status: 0, name, phase });
      }
      await sleep(10);
    }
  };
  const clients = Array.from({ length: CLIENTS }, (_, c) => client(c));
  try {
    await sleep(300);
    const toService = await handoverKilledAtEveryStep(world, 'catalog-service');
    expect(toService.kills).toEqual(
      KILL_AT.map((step) => ({ step, signal: 'SIGKILL', stderr: '' })),
    );
    expect(toService.final).toEqual({ code: 0, stderr: '' });
    expect(toService.out).toMatch(/handover catalog: monolith → catalog-service done in/);
    expect(world.owner()).toBe('catalog-service');

    // Writes now land in catalog-service; the reverse sync brings them to the monolith's readers.
    await sleep(500);
    const byService = answers.filter((a) => a.status === 201 && a.phase === 'catalog-service');
    expect(byService.length).toBeGreaterThan(0);
    const last = byService[byService.length - 1];
    // `strangler data sync catalog` (a separate process, as an operator or the demo's follower runs it)
    // now copies catalog-service → monolith, and the monolith's own catalog code sees the service's row.
    const reverse = await world.sync();
    expect({ code: reverse.code, errors: reverse.stderr.match(/^error: .*/m) }).toEqual({
      code: 0,
      errors: null,
    });
    expect(reverse.stdout).toMatch(/sync catalog \(catalog-service → monolith\): applied [1-9]/);
    const res = await fetch(`${world.monolith.url}/catalog/artists/${last.id}`);
    expect(await res.json()).toMatchObject({ id: last.id, name: last.name });

    const back = await handoverKilledAtEveryStep(world, 'monolith');
    expect(back.kills).toEqual(KILL_AT.map((step) => ({ step, signal: 'SIGKILL', stderr: '' })));
    expect(back.final).toEqual({ code: 0, stderr: '' });
    expect(world.owner()).toBe('monolith');
    await sleep(300);
  } finally {
    writing = false;
    await Promise.all(clients);
  }
  {
    const owned = reorient(world.open);
    expect(owned.ownership.owner).toBe('monolith');
    await syncFlow(owned.endpoints, owned.flow);
    const created = answers.filter((a) => a.status >= 200 && a.status < 300);
    // Only held writes past the hold's time may be refused (503, never forwarded); nothing else fails.
    expect(
      [...new Set(answers.map((a) => a.status))].filter((s) => s !== 201 && s !== 503),
    ).toEqual([]);
    expect(created.length).toBeGreaterThan(50);
    expect(new Set(created.map((a) => a.id)).size).toBe(created.length);
    const rows: { id: number; name: string }[] = await owned.endpoints
      .source('artists')
      .whereIn(
        'id',
        created.map((a) => a.id!),
      )
      .select('id', 'name');
    const stored = new Map(rows.map((r) => [Number(r.id), r.name]));
    const lost = created.filter((a) => stored.get(a.id!) !== a.name);
    expect(lost).toEqual([]);
    expect(new Set(created.map((a) => a.phase))).toEqual(new Set(['monolith', 'catalog-service']));
    const verdicts = await verifyFlow(owned.endpoints, owned.flow);
    expect(verdicts.map((v) => [v.table, v.equal, v.sourceChecksum === v.targetChecksum])).toEqual([
      ['artists', true, true],
      ['albums', true, true],
      ['tracks', true, true],
    ]);

    // The mistake: a 50 % write canary of a data set is refused by the proxy.
    const canary = await fetch(`${world.proxy.adminUrl}/admin/routes/catalog`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ to: 'catalog-service', percent: 50 }),
    });
    expect(canary.status).toBeGreaterThanOrEqual(400);
    expect(await canary.text()).toMatch(/owner|handover/i);
    expect(world.owner()).toBe('monolith');
  }
}

describeEachEngine('handover through a real proxy, under concurrent writes', (engine) => {
  test('every write that got a 2xx is in the owner afterwards, both sides match, the monolith reads the service’s rows, a killed handover resumes', async () => {
    const world = await startHandoverWorld(engine);
    try {
      await proveHandover(world);
    } finally {
      await world.stop();
    }
  }, 300_000);
});
