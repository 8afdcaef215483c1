import fs from 'node:fs';
import path from 'node:path';
import { parse, stringify } from 'yaml';
import { createProgram } from '../../common/src/cli';
import { registerProxyCommands } from '../src/cli';
import { parseRoutesText } from '../src/config';
import { SESSION_COOKIE } from '../src/dashboard';
import { startTestProxy, type TestProxy } from './support/harness';
import { rawRequest } from './support/raw-http';
import { ADMIN_TOKEN, routesDoc, writeRoutesFile } from './support/routes';
import { echo, startUpstream, type TestUpstream } from './support/upstream';

const SHIPPED = path.resolve(__dirname, '..', 'routes.yaml');
const DATA_SETS = { catalog: { owner: 'monolith' } };
const URLS = {
  monolith: 'http://127.0.0.1:1',
  svc: 'http://127.0.0.1:2',
  sandbox: 'http://127.0.0.1:3',
};

/** Validates a routes document as the routes file would; returns the refusal, or null. */
function refusal(routes: unknown[], extra: Record<string, unknown> = {}): string | null {
  try {
    parseRoutesText(
      JSON.stringify(routesDoc(URLS, routes, { dataSets: DATA_SETS, ...extra })),
      'routes.json',
    );
    return null;
  } catch (error) {
    return (error as Error).message;
  }
}

async function cli(...args: string[]): Promise<{ out: string; err: string; code: number }> {
  const program = createProgram('strangler', 'test');
  program.exitOverride();
  registerProxyCommands(program);
  let out = '';
  let err = '';
  const stdout = jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    out += String(chunk);
    return true;
  });
  const stderr = jest.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
    err += String(chunk);
    return true;
  });
  process.exitCode = 0;
  try {
    await program.parseAsync(['node', 'strangler', ...args]);
  } finally {
    stdout.mockRestore();
    stderr.mockRestore();
  }
  const code = Number(process.exitCode ?? 0);
  process.exitCode = 0;
  return { out, err, code };
}

describe('the data ownership rule: a write route sends its writes only to its data set owner', () => {
  const write = { name: 'catalog', match: { prefix: '/catalog' }, writes: 'catalog' };

  it('accepts writes at 100 % to the owner, reads canaried anywhere, and percent 0', () => {
    expect(refusal([{ ...write, to: 'monolith' }])).toBeNull();
    expect(
      refusal([
        { ...write, to: 'monolith' },
        {
          name: 'catalog-read',
          match: { prefix: '/catalog', methods: ['GET', 'HEAD'] },
          to: 'svc',
          percent: 50,
          writes: 'catalog',
        },
      ]),
    ).toBeNull();
    expect(refusal([{ ...write, to: 'svc', percent: 0 }])).toBeNull();
  });

  it('refuses a write route sent to a non-owner by to, by a percent split, by a write fallback and by a write-mirroring shadow', () => {
    expect(refusal([{ ...write, to: 'svc' }])).toMatch(
      /route "catalog" writes data set "catalog", owned by "monolith", but would send its POST, PUT, PATCH, DELETE to "svc" \(by to\)/,
    );
    expect(refusal([{ ...write, to: 'svc', percent: 50 }])).toMatch(/"svc" \(by percent 50\)/);
    expect(
      refusal([{ ...write, to: 'svc', percent: 50 }], { dataSets: { catalog: { owner: 'svc' } } }),
    ).toMatch(/"monolith" \(by the other 50% \(the default route's upstream\)\)/);
    expect(
      refusal([{ ...write, to: 'svc', fallback: { methods: ['GET', 'DELETE'] } }], {
        dataSets: { catalog: { owner: 'svc' } },
      }),
    ).toMatch(/"monolith" \(by fallback\)/);
    expect(
      refusal([], {
        upstreams: {
          monolith: { url: URLS.monolith },
          sandbox: { url: URLS.sandbox, sandbox: true },
        },
      }),
    ).toBeNull();
    expect(
      parseOrMessage({
        ...routesDoc(
          { monolith: URLS.monolith, sandbox: { url: URLS.sandbox, sandbox: true } },
          [{ ...write, to: 'monolith', shadow: { upstream: 'sandbox', sandbox: true } }],
          { dataSets: DATA_SETS },
        ),
      }),
    ).toMatch(/"sandbox" \(by shadow \(mirrors writes\)\)/);
  });

  it('counts a route that matches only some write methods: a DELETE-only route is a write route', () => {
    expect(
      refusal([{ ...write, match: { prefix: '/catalog', methods: ['GET', 'DELETE'] }, to: 'svc' }]),
    ).toMatch(/send its DELETE to "svc"/);
  });

  it('says what to do instead: the exact read-route YAML, and the handover command', () => {
    const message = refusal([{ ...write, to: 'svc', percent: 10 }])!;
    expect(message).toContain('Fix: canary the reads only');
    expect(message).toContain(
      [
        '  - name: catalog-read',
        '    match: { prefix: /catalog, methods: [GET, HEAD] }',
        '    to: svc',
        '    percent: 10',
      ].join('\n'),
    );
    expect(message).toContain('npx strangler data handover catalog --to svc');
  });

  it('names an undeclared data set with "did you mean", the file, the field and the fix', () => {
    expect(refusal([{ ...write, to: 'monolith', writes: 'catalgo' }])).toBe(
      'routes.json: route "catalog": field "writes": data set "catalgo" is not declared under dataSets (declared: catalog); did you mean "catalog"?. Fix: declare it, e.g. dataSets: { catalgo: { owner: monolith } }, or fix the name',
    );
    expect(refusal([], { dataSets: { catalog: { owner: 'nobody' } } })).toMatch(
      /data set "catalog": field "owner": upstream "nobody" is not defined/,
    );
    expect(refusal([], { dataSets: { catalog: { ownr: 'monolith' } } })).toMatch(
      /data set "catalog": unknown field "ownr"; did you mean "owner"\?/,
    );
  });
});

function parseOrMessage(doc: Record<string, unknown>): string | null {
  try {
    parseRoutesText(JSON.stringify(doc), 'routes.json');
    return null;
  } catch (error) {
    return (error as Error).message;
  }
}

describe('the issue, replayed on the shipped routes file', () => {
  let monolith: TestUpstream;
  let service: TestUpstream;

  beforeAll(async () => {
    monolith = await startUpstream(echo('monolith'));
    service = await startUpstream(echo('catalog-service'));
  });
  afterAll(async () => Promise.all([monolith.close(), service.close()]));

  it('refuses `flip catalog --to catalog-service --percent 50` with exit 2 and the rule; the read canary then works', async () => {
    const file = writeRoutesFile({});
    const shipped = fs
      .readFileSync(SHIPPED, 'utf8')
      .replace('http://127.0.0.1:3000', monolith.url)
      .replace('http://127.0.0.1:4001', service.url)
      .replace(/^contracts: .*$/m, '');
    fs.writeFileSync(file, shipped);
    const refused = await cli(
      'flip',
      'catalog',
      '--to',
      'catalog-service',
      '--percent',
      '50',
      '--routes',
      file,
    );
    expect(refused.code).toBe(2);
    expect(refused.err).toContain(
      'route "catalog" writes data set "catalog", owned by "monolith", but would send its POST, PUT, PATCH, DELETE to "catalog-service" (by percent 50)',
    );
    expect(refused.err).toContain(
      'npx strangler flip catalog-read --to catalog-service --percent 50',
    );
    expect(refused.err).toContain('npx strangler data handover catalog --to catalog-service');
    expect(refused.err).not.toMatch(/\n\s+at /); // no stack trace
    expect(fs.readFileSync(file, 'utf8')).toBe(shipped);

    const flipped = await cli(
      'flip',
      'catalog-read',
      '--to',
      'catalog-service',
      '--percent',
      '50',
      '--routes',
      file,
    );
    expect(flipped).toMatchObject({ code: 0 });
    const proxy = await startTestProxy({}, { routesFile: file });
    try {
      const answered = { reads: new Set<string>(), writes: new Set<string>() };
      for (let i = 0; i < 40; i++) {
        const read = await rawRequest(proxy.url, {
          path: `/catalog/albums/${i}`,
          headers: { 'x-customer-id': `c${i}` },
        });
        answered.reads.add(JSON.parse(read.body.toString()).upstream);
        const posted = await rawRequest(proxy.url, {
          method: 'POST',
          path: '/catalog/artists',
          body: '{"name":"x"}',
          headers: { 'content-type': 'application/json' },
        });
        answered.writes.add(JSON.parse(posted.body.toString()).upstream);
      }
      expect([...answered.reads].sort()).toEqual(['catalog-service', 'monolith']);
      expect([...answered.writes]).toEqual(['monolith']);
    } finally {
      await proxy.close();
    }
  });
});

describe('every way to change the table refuses a write canary', () => {
  let monolith: TestUpstream;
  let service: TestUpstream;
  let proxy: TestProxy;
  const doc = () =>
    routesDoc(
      { monolith: monolith.url, svc: service.url },
      [{ name: 'catalog', match: { prefix: '/catalog' }, to: 'monolith', writes: 'catalog' }],
      { dataSets: DATA_SETS },
    );

  beforeAll(async () => {
    monolith = await startUpstream(echo('monolith'));
    service = await startUpstream(echo('svc'));
  });
  beforeEach(async () => {
    proxy = await startTestProxy(doc());
  });
  afterEach(() => proxy.close());
  afterAll(async () => Promise.all([monolith.close(), service.close()]));

  const postGoesTo = async () =>
    JSON.parse(
      (
        await rawRequest(proxy.url, { method: 'POST', path: '/catalog/x', body: '{}' })
      ).body.toString(),
    ).upstream;

  it('a routes-file edit: the reload is refused and the old table keeps serving', async () => {
    const edited = doc();
    (edited.routes as Array<Record<string, unknown>>)[0].percent = 50;
    (edited.routes as Array<Record<string, unknown>>)[0].to = 'svc';
    fs.writeFileSync(proxy.file!, stringify(edited));
    const report = proxy.proxy.store.reload('test edit');
    expect(report.ok).toBe(false);
    expect(report.error).toMatchObject({
      code: 'ERR_DATA_OWNERSHIP',
      message: expect.stringContaining('data handover catalog --to svc'),
    });
    for (let i = 0; i < 10; i++) expect(await postGoesTo()).toBe('monolith');
  });

  it('the admin API: PATCH /admin/routes/catalog answers 409 with the rule, the file is unchanged', async () => {
    const before = fs.readFileSync(proxy.file!, 'utf8');
    const res = await proxy.admin('/admin/routes/catalog', {
      method: 'PATCH',
      body: JSON.stringify({ to: 'svc', percent: 50 }),
    });
    expect(res.status).toBe(409);
    const body = (await res.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('ERR_DATA_OWNERSHIP');
    expect(body.error.message).toContain('canary the reads only');
    expect(fs.readFileSync(proxy.file!, 'utf8')).toBe(before);
    expect(await postGoesTo()).toBe('monolith');
  });

  it("the dashboard's flip (session + CSRF) gets the same 409, and the page shows it and marks write routes", async () => {
    const login = await fetch(`${proxy.adminUrl}/dashboard/login`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: proxy.adminUrl },
      body: new URLSearchParams({ token: ADMIN_TOKEN }).toString(),
    });
    const cookie = `${SESSION_COOKIE}=${/strangler_session=([^;]*)/.exec(login.headers.get('set-cookie') ?? '')?.[1]}`;
    const page = await (await fetch(`${proxy.adminUrl}/dashboard`, { headers: { cookie } })).text();
    const csrf = /name="strangler-csrf" content="([^"]+)"/.exec(page)![1];
    expect(page).toContain('id="data-sets"');
    const res = await fetch(`${proxy.adminUrl}/dashboard/api/admin/routes/catalog`, {
      method: 'PATCH',
      headers: { cookie, 'x-strangler-csrf': csrf, 'content-type': 'application/json' },
      body: JSON.stringify({ to: 'svc', percent: 50 }),
    });
    expect(res.status).toBe(409);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe(
      'ERR_DATA_OWNERSHIP',
    );
    const sets = await fetch(`${proxy.adminUrl}/dashboard/api/admin/data-sets`, {
      headers: { cookie },
    });
    expect(await sets.json()).toEqual([
      { set: 'catalog', owner: 'monolith', writeRoutes: ['catalog'], hold: null },
    ]);
    const routes = (await (
      await fetch(`${proxy.adminUrl}/dashboard/api/admin/routes`, { headers: { cookie } })
    ).json()) as {
      routes: Array<{ name: string; writes: string | null }>;
    };
    expect(routes.routes.map((r) => [r.name, r.writes])).toEqual([
      ['catalog', 'catalog'],
      ['default', null],
    ]);
    // The page script shows refusals as given and renders the data sets table from that endpoint.
    const script = await (await fetch(`${proxy.adminUrl}/dashboard/assets/dashboard.js`)).text();
    expect(script).toMatch(/`Flip refused: \$\{/);
    expect(script).toMatch(/getJson\(`\$\{API\}\/admin\/data-sets`\)/);
  });
});

describe('promote: auto stops at a step the ownership rule refuses', () => {
  it('pauses with the rule as its reason instead of moving writes to a non-owner', async () => {
    const monolith = await startUpstream(echo('same'));
    const service = await startUpstream(echo('same'));
    const proxy = await startTestProxy(
      routesDoc(
        { monolith: monolith.url, svc: service.url },
        [
          {
            name: 'catalog',
            match: { prefix: '/catalog' },
            to: 'svc',
            percent: 0,
            shadow: { upstream: 'svc', compare: { ignore: ['$.upstream', '$.headers'] } },
            promote: { windowMs: 100, minRequests: 3 },
            writes: 'catalog',
          },
        ],
        { dataSets: DATA_SETS },
      ),
      { promotionCheckMs: 3_600_000 },
    );
    try {
      proxy.proxy.promotion.check(); // opens the first window
      for (let i = 0; i < 10; i++)
        expect((await fetch(`${proxy.url}/catalog/${i}`)).status).toBe(200);
      await proxy.proxy.shadow.drain();
      await new Promise((resolve) => setTimeout(resolve, 150));
      expect(() => proxy.proxy.promotion.check()).not.toThrow();
      const view = proxy.proxy.promotion.view('catalog')!;
      expect(view).toMatchObject({ state: 'paused', step: 'shadow' });
      expect(view.reason).toMatch(
        /step to 5% refused: .*writes data set "catalog", owned by "monolith"/s,
      );
      expect(parse(fs.readFileSync(proxy.file!, 'utf8')).routes[0].percent).toBe(0);
      expect(proxy.proxy.store.current().config.routes[0].percent).toBe(0);
    } finally {
      await proxy.close();
      await Promise.all([monolith.close(), service.close()]);
    }
  });
});
