import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
// undici's own fetch: the global dispatcher set below (no keep-alive) applies to it, not to Node's bundled one.
import { Agent, type Dispatcher, fetch, getGlobalDispatcher, setGlobalDispatcher } from 'undici';
import { type TestContracts, testContracts } from '../../contracts/test/support/test-contracts';
import { findPortOwner } from '../../scripts/port-owner';
import { runCli } from '../support/run-cli';

const ROOT = path.resolve(__dirname, '..', '..');

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

async function waitFor(check: () => boolean, what: string, timeoutMs = 90000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('npm start', () => {
  let dir: string;
  let routesFile: string;
  let child: ChildProcess;
  let output = '';
  let contracts: TestContracts;
  const ports = { monolith: 0, catalog: 0, finance: 0, proxy: 0, admin: 0 };
  const eventPorts = { reporting: 0, monitor: 0 };

  const stackEnv = (token: string): NodeJS.ProcessEnv => ({
    ...process.env,
    STRANGLER_DATA_DIR: dir,
    SEED_SCALE: '0.05',
    ROUTES_FILE: routesFile,
    STRANGLER_DEMO_PORTS: [
      ports.monolith,
      ports.catalog,
      ports.finance,
      ports.proxy,
      ports.admin,
    ].join(','),
    STRANGLER_ADMIN_TOKEN: token,
    STRANGLER_EVENTS_PORTS: `${eventPorts.reporting},${eventPorts.monitor}`,
    EVENTS_BROKER_URL: '',
    DATABASE_URL: '',
  });

  // necessary because runCli blocks this process (spawnSync) for seconds: a kept-alive socket the
  // proxy closed meanwhile looks usable when the loop resumes ("other side closed"). One
  // connection per request here; the proxy's own keep-alive is tested in its suite.
  let previousDispatcher: Dispatcher;

  const startStack = async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'strangler-start-'));
    routesFile = path.join(dir, 'routes.yaml');
    for (const key of Object.keys(ports) as Array<keyof typeof ports>)
      ports[key] = await freePort();
    eventPorts.reporting = await freePort();
    eventPorts.monitor = await freePort();
    // The shipped routes file, with the upstream ports of this copy of the stack and a registry of its own.
    contracts = testContracts();
    const routes = fs
      .readFileSync(path.join(ROOT, 'strangler-proxy', 'routes.yaml'), 'utf8')
      .replace('127.0.0.1:3000', `127.0.0.1:${ports.monolith}`)
      .replace('127.0.0.1:4001', `127.0.0.1:${ports.catalog}`)
      .replace('127.0.0.1:4002', `127.0.0.1:${ports.finance}`)
      .replace('contracts: ../contracts/contracts.yaml', `contracts: ${contracts.file}`);
    fs.writeFileSync(routesFile, routes);
    child = spawn(
      process.execPath,
      ['--require', require.resolve('tsx/cjs'), path.join(ROOT, 'scripts', 'start.ts')],
      {
        cwd: ROOT,
        env: stackEnv('end-to-end-token-0123456789'),
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    child.stdout!.on('data', (chunk) => (output += chunk));
    child.stderr!.on('data', (chunk) => (output += chunk));
    await waitFor(
      () => output.includes('Ctrl-C stops everything') || child.exitCode !== null,
      'the stack to come up',
      150000,
    );
  };

  beforeAll(async () => {
    previousDispatcher = getGlobalDispatcher();
    setGlobalDispatcher(new Agent({ pipelining: 0 }));
    // necessary because a port found free can be taken (e.g. as another test's client port)
    // before the stack binds it: the stack then exits naming EADDRINUSE; start over on new ports.
    for (let attempt = 1; ; attempt++) {
      await startStack();
      if (child.exitCode === null || !output.includes('EADDRINUSE') || attempt === 3) break;
      process.stderr.write(`npm start test: a port was taken meanwhile; attempt ${attempt + 1}\n`);
      fs.rmSync(dir, { recursive: true, force: true });
      contracts.cleanup();
      output = '';
    }
  }, 300000);

  afterAll(async () => {
    setGlobalDispatcher(previousDispatcher);
    if (child.exitCode === null) {
      child.kill('SIGINT');
      await waitFor(() => child.exitCode !== null, 'the stack to stop', 20000).catch(() =>
        child.kill('SIGKILL'),
      );
    }
    fs.rmSync(dir, { recursive: true, force: true });
    contracts?.cleanup();
  });

  it('seeds, starts every member and prints the URLs', () => {
    if (child.exitCode !== null)
      throw new Error(`the stack exited with ${child.exitCode}:\n${output}`);
    for (const port of Object.values(ports)) expect(output).toContain(`http://127.0.0.1:${port}`);
    expect(output).toMatch(/seeded the monolith database: [\d,]+ rows/);
    expect(output).toContain('admin token   end-to-end-token-0123456789');
  });

  it('runs the compiled JavaScript in dist/, not TypeScript through a runtime compiler', () => {
    const members = {
      monolith: 'dist/legacy-monolith/src/main.js',
      catalog: 'dist/extracted/catalog-service/src/main.js',
      finance: 'dist/extracted/finance-service/src/main.js',
      proxy: 'dist/strangler-proxy/src/main.js',
    } as const;
    for (const [member, script] of Object.entries(members)) {
      const owner = findPortOwner(ports[member as keyof typeof members]);
      expect(owner?.command).toContain(path.join(ROOT, script));
      expect(owner?.command).not.toMatch(/tsx/);
    }
  });

  it('when compiled code migrates, then it records the TypeScript names the sources use', () => {
    const script = `
      const { codePath, projectPath, RUNS_COMPILED } = require(${JSON.stringify(path.join(ROOT, 'dist/common/src/project-root.js'))});
      process.stdout.write(JSON.stringify({ RUNS_COMPILED, code: codePath(projectPath('migrations', 'catalog-service')) }));`;
    const run = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
    expect(JSON.parse(run.stdout)).toEqual({
      RUNS_COMPILED: true,
      code: path.join(ROOT, 'dist', 'migrations', 'catalog-service'),
    });
    // The parent (sources) and catalog-service (compiled) both migrated this database: one list of names.
    const names = spawnSync(
      'node',
      [
        '-e',
        `const Db = require('better-sqlite3'); const db = new Db(${JSON.stringify(path.join(dir, 'catalog-service.sqlite'))}, { readonly: true });
         process.stdout.write(JSON.stringify(db.prepare('select name from knex_migrations').all().map((r) => r.name)));`,
      ],
      { cwd: ROOT, encoding: 'utf8' },
    );
    const applied = JSON.parse(names.stdout) as string[];
    expect(applied.length).toBeGreaterThan(0);
    for (const name of applied) expect(name).toMatch(/\.ts$/);
  });

  it("serves the dashboard's browser files from the source tree to the compiled proxy", async () => {
    const source = path.join(
      ROOT,
      'strangler-proxy',
      'src',
      'dashboard',
      'browser',
      'dashboard.js',
    );
    // The build compiles TypeScript only: the compiled proxy reads the page's files where they are.
    expect(fs.existsSync(source.replace(ROOT, path.join(ROOT, 'dist')))).toBe(false);
    const res = await fetch(`http://127.0.0.1:${ports.admin}/dashboard/assets/dashboard.js`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(await res.text()).toBe(fs.readFileSync(source, 'utf8'));
  });

  it('serves the seeded catalog through the proxy', async () => {
    const res = await fetch(`http://127.0.0.1:${ports.proxy}/catalog/albums?pageSize=2`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { items: unknown[]; total: number };
    expect(body.items).toHaveLength(2);
    expect(body.total).toBe(50);
  });

  it('moves live catalog traffic with `strangler flip`, and back', async () => {
    const proxyLog = path.join(dir, 'logs', 'proxy.log');
    const upstreamOf = async (marker: string) => {
      const get = () =>
        fetch(`http://127.0.0.1:${ports.proxy}/catalog/albums/1`, {
          headers: { 'x-correlation-id': marker },
        });
      // necessary because the flip verifies contracts for longer than the proxy's 5 s keep-alive:
      // the client may reuse a connection the proxy is closing at that moment (a race of any keep-alive client)
      await get().catch(get);
      await waitFor(
        () => fs.readFileSync(proxyLog, 'utf8').includes(marker),
        `the proxy to log ${marker}`,
        10000,
      );
      const line = fs
        .readFileSync(proxyLog, 'utf8')
        .split('\n')
        .find((l) => l.includes(marker))!;
      return JSON.parse(line).upstream as string;
    };
    expect(await upstreamOf('before-flip')).toBe('monolith');
    // A scratch registry: the flip verifies catalog-service's contracts first (on a fresh clone too).
    const flip = runCli(
      ['flip', 'catalog-read', '--to', 'catalog-service', '--routes', routesFile],
      {},
      150000,
    );
    expect(flip.stderr).toContain(
      'contracts: catalog-service is not verified at its current source',
    );
    expect(flip.status).toBe(0);
    await waitFor(
      () => fs.readFileSync(proxyLog, 'utf8').includes('"version":2'),
      'the proxy to reload',
      10000,
    );
    expect(await upstreamOf('after-flip')).toBe('catalog-service');
    expect(
      runCli(['flip', 'catalog-read', '--to', 'monolith', '--routes', routesFile]).status,
    ).toBe(0);
    await waitFor(
      () => fs.readFileSync(proxyLog, 'utf8').includes('"version":3'),
      'the proxy to reload again',
      10000,
    );
    expect(await upstreamOf('flipped-back')).toBe('monolith');
  }, 180000);

  it('refuses a second npm start on the same data folder: names the first, exit 2, no new token', () => {
    const second = spawnSync(
      process.execPath,
      ['--require', require.resolve('tsx/cjs'), path.join(ROOT, 'scripts', 'start.ts')],
      {
        cwd: ROOT,
        env: stackEnv('a-second-token-that-must-not-show'),
        encoding: 'utf8',
        timeout: 60000,
      },
    );
    expect(second.status).toBe(2);
    expect(second.stderr).toContain(`a demo stack is already running on ${dir}: pid ${child.pid}`);
    expect(second.stdout + second.stderr).not.toMatch(
      /admin token {2,}|demo stack is up|a-second-token/,
    );
    expect(child.exitCode).toBeNull();
  });

  it('restarts catalog-service after kill -9 while the proxy keeps answering, falling back to the monolith', async () => {
    const proxyLog = path.join(dir, 'logs', 'proxy.log');
    const flip = (to: string) =>
      runCli(['flip', 'catalog-read', '--to', to, '--routes', routesFile], {}, 150000);
    expect(flip('catalog-service').status).toBe(0);
    await waitFor(
      () => fs.readFileSync(proxyLog, 'utf8').includes('"version":4'),
      'the proxy to reload',
      10000,
    );
    const victim = findPortOwner(ports.catalog);
    expect(victim?.command).toContain('catalog-service');
    const restartsBefore = (output.match(/catalog-service restarted/g) ?? []).length;
    process.kill(victim!.pid, 'SIGKILL');
    await waitFor(
      () => findPortOwner(ports.catalog) === undefined,
      'catalog-service to be gone',
      5000,
    );
    // While it is down: every GET still answers, from the monolith (the route falls back).
    for (let i = 0; i < 5; i++) {
      const marker = `while-down-${i}`;
      const res = await fetch(`http://127.0.0.1:${ports.proxy}/catalog/albums/1`, {
        headers: { 'x-correlation-id': marker },
      });
      expect(res.status).toBe(200);
      expect(((await res.json()) as { id: number }).id).toBe(1);
    }
    await waitFor(
      () => fs.readFileSync(proxyLog, 'utf8').includes('while-down-4'),
      'the proxy to log the last GET',
      10000,
    );
    const answered = fs
      .readFileSync(proxyLog, 'utf8')
      .split('\n')
      .filter((line) => line.includes('while-down-'))
      .map((line) => JSON.parse(line));
    expect(
      answered.every((entry) => entry.fallback === true || entry.upstream === 'monolith'),
    ).toBe(true);
    expect(output).toMatch(/catalog-service stopped unexpectedly \(SIGKILL\).*restarting it in/);
    await waitFor(
      () => (output.match(/catalog-service restarted/g) ?? []).length > restartsBefore,
      'the restart',
      20000,
    );
    await waitFor(
      () => output.includes('catalog-service is serving again'),
      'catalog-service to serve',
      90000,
    );
    const back = findPortOwner(ports.catalog);
    expect(back?.pid).not.toBe(victim!.pid);
    expect((await fetch(`http://127.0.0.1:${ports.catalog}/health`)).status).toBe(200);
    for (const port of [ports.monolith, ports.finance, ports.proxy])
      expect(findPortOwner(port)).toBeDefined();
    expect(flip('monolith').status).toBe(0);
    await waitFor(
      () => fs.readFileSync(proxyLog, 'utf8').includes('"version":5'),
      'the proxy to reload again',
      10000,
    );
  }, 180000);

  it('relays events on the embedded broker: an order placed through the proxy reaches the reporting pump and the process monitor', async () => {
    const json = async (url: string, init?: Parameters<typeof fetch>[1]): Promise<any> =>
      (await fetch(url, init)).json();
    const order = await json(`http://127.0.0.1:${ports.proxy}/warehouse/orders`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-correlation-id': 'e2e-events' },
      body: JSON.stringify({ customerId: 1, lines: [{ albumId: 1, quantity: 1 }] }),
    });
    expect(order.status).toBe('placed');
    const ledger = (await json(`http://127.0.0.1:${ports.monolith}/finance/ledger?pageSize=1`))
      .total;
    let sales = -1;
    let fulfilment: any;
    const reporting = `http://127.0.0.1:${eventPorts.reporting}`;
    const deadline = Date.now() + 60000;
    while (Date.now() < deadline) {
      sales = (await json(`${reporting}/reports/status`)).sales;
      fulfilment = (await json(`http://127.0.0.1:${eventPorts.monitor}/processes`))[0];
      if (sales === ledger && fulfilment.completed === fulfilment.started && fulfilment.started > 0)
        break;
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(sales).toBe(ledger);
    expect(fulfilment).toMatchObject({ name: 'order-fulfilment', overdue: 0 });
    expect(fulfilment.completed).toBe(fulfilment.started);
    const finance = await json(
      `http://127.0.0.1:${ports.monolith}/finance/reports/revenue-by-country`,
    );
    const pumped = await json(`${reporting}/reports/revenue-by-country`);
    expect(pumped).toEqual(
      finance.map((r: any) => ({
        countryCode: r.countryCode,
        revenueCents: r.revenueCents,
        taxCents: r.taxCents,
      })),
    );
  });

  it('stops every process on Ctrl-C', async () => {
    child.kill('SIGINT');
    await waitFor(() => child.exitCode !== null, 'the stack to stop', 20000);
    expect(child.exitCode).toBe(0);
    for (const port of [ports.monolith, ports.catalog, ports.finance, ports.proxy]) {
      await expect(fetch(`http://127.0.0.1:${port}/`)).rejects.toThrow();
    }
  });
});
