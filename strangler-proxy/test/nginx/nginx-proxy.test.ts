import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  freePort,
  installConfig,
  prefixIn,
  requireNginx,
  type RunningNginxProxy,
} from '../../src/nginx';
import { ADMIN_TOKEN } from '../support/routes';
import { echo, startUpstream, type TestUpstream } from '../support/upstream';
import {
  describeWithNginx,
  routesYaml,
  eventually,
  fetchFresh,
  type NginxProxyUnderTest,
  startNginxProxyOn,
} from './support';

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describeWithNginx('proxy start --engine nginx', () => {
  let monolith: TestUpstream;
  let catalog: TestUpstream;
  let stack: NginxProxyUnderTest;
  let dir: string;
  let routesFile: string;
  let proxy: RunningNginxProxy;

  const doc = (extra: Record<string, unknown> = {}) => ({
    version: 1,
    upstreams: {
      monolith: { url: monolith.url, breaker: false },
      'catalog-service': { url: catalog.url, breaker: false },
    },
    default: { to: 'monolith' },
    routes: [{ name: 'catalog', match: { prefix: '/catalog' }, to: 'monolith', fallback: true }],
    ...extra,
  });
  const upstreamOf = async (p: string) => {
    const reply = await fetchFresh(`${proxy.url}${p}`);
    await reply.arrayBuffer();
    return reply.headers.get('x-upstream');
  };

  beforeAll(async () => {
    monolith = await startUpstream(echo('monolith'));
    catalog = await startUpstream(echo('catalog-service'));
    stack = await startNginxProxyOn(doc());
    ({ proxy, dir, routesFile } = stack);
  });

  afterAll(async () => {
    await stack?.close();
    await Promise.all([monolith?.close(), catalog?.close()]);
  });

  it('serves through nginx, from a config it generated and checked in its own folder', async () => {
    expect(await upstreamOf('/catalog/albums')).toBe('monolith');
    const config = fs.readFileSync(path.join(dir, 'nginx', 'nginx.conf'), 'utf8');
    expect(config).toContain('# nginx data plane for');
    expect(fs.existsSync(path.join(dir, 'nginx', 'nginx.pid'))).toBe(true);
  });

  it('reloads nginx when the admin API flips a route', async () => {
    const reply = await fetchFresh(`${proxy.adminUrl}/admin/routes/catalog`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ to: 'catalog-service', percent: 100 }),
    });
    expect(reply.status).toBe(200);
    expect(
      await eventually(
        () => upstreamOf('/catalog/albums'),
        (u) => u === 'catalog-service',
      ),
    ).toBe('catalog-service');
    expect(await upstreamOf('/orders')).toBe('monolith');
  });

  it('names nginx as the engine on the admin API (and so on the dashboard)', async () => {
    const status = await fetchFresh(`${proxy.adminUrl}/admin/status`, {
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    });
    expect(((await status.json()) as { engine: string }).engine).toBe('nginx');
  });

  it('shows per-route metrics read from the nginx access log', async () => {
    for (let i = 0; i < 5; i++) await upstreamOf('/catalog/albums');
    const count = async () => {
      const text = await (await fetchFresh(`${proxy.adminUrl}/metrics`)).text();
      const match =
        /^strangler_proxy_requests_total\{route="catalog",upstream="catalog-service",status_class="2xx"\} (\d+)/m.exec(
          text,
        );
      return match ? Number(match[1]) : 0;
    };
    expect(await eventually(count, (n) => n >= 5)).toBeGreaterThanOrEqual(5);
  });

  it('keeps serving the old config when a routes change cannot be carried by nginx', async () => {
    fs.writeFileSync(
      routesFile,
      routesYaml(
        doc({
          routes: [
            { name: 'catalog', match: { prefix: '/catalog' }, to: 'monolith' },
            // nginx reads a cookie only by a name of letters, digits and "_".
            {
              name: 'beta',
              match: { prefix: '/beta' },
              to: 'catalog-service',
              percent: 50,
              sticky: { cookie: 'beta-cohort' },
            },
          ],
        }),
      ),
    );
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(await upstreamOf('/catalog/albums')).toBe('catalog-service');
    expect(fs.readFileSync(path.join(dir, 'nginx', 'nginx.conf'), 'utf8')).not.toContain(
      'beta-cohort',
    );
  });

  it('stops nginx on close', async () => {
    const pid = Number(fs.readFileSync(path.join(dir, 'nginx', 'nginx.pid'), 'utf8'));
    expect(isAlive(pid)).toBe(true);
    await proxy.close();
    expect(isAlive(pid)).toBe(false);
  });
});

describeWithNginx('npx strangler proxy start --engine nginx (process)', () => {
  it.each([
    ['--engine nginx', ['--engine', 'nginx'], {}],
    ['PROXY_ENGINE=nginx', [], { PROXY_ENGINE: 'nginx' }],
  ])(
    'with %s: prints where nginx serves, and Ctrl-C (SIGINT) stops nginx and the admin process',
    async (_, engineArgs, engineEnv) => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'strangler-nginx-cli-'));
      const upstream = await startUpstream(echo('monolith'));
      try {
        fs.writeFileSync(
          path.join(dir, 'routes.yaml'),
          routesYaml({
            version: 1,
            upstreams: { monolith: { url: upstream.url } },
            default: { to: 'monolith' },
          }),
        );
        const port = await freePort();
        const child = spawn(
          process.execPath,
          [
            path.resolve(__dirname, '../../../scripts/strangler.js'),
            'proxy',
            'start',
            ...engineArgs,
            '--routes',
            path.join(dir, 'routes.yaml'),
            '--port',
            String(port),
            '--admin-port',
            '0',
          ],
          {
            env: {
              ...process.env,
              ...engineEnv,
              STRANGLER_DATA_DIR: dir,
              STRANGLER_ADMIN_DISABLED: '1',
              LOG_LEVEL: 'silent',
            },
            stdio: ['ignore', 'pipe', 'pipe'],
          },
        );
        let out = '';
        child.stdout.on('data', (chunk: Buffer) => {
          out += chunk.toString();
        });
        child.stderr.on('data', (chunk: Buffer) => {
          out += chunk.toString();
        });
        const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
        await eventually(
          async () => out,
          (text) => text.includes('nginx data plane'),
        );
        expect(out).toContain(`http://127.0.0.1:${port}`);
        const reply = await fetchFresh(`http://127.0.0.1:${port}/anything`);
        expect(reply.headers.get('x-upstream')).toBe('monolith');
        const pid = Number(fs.readFileSync(path.join(dir, 'nginx', 'nginx.pid'), 'utf8'));
        expect(isAlive(pid)).toBe(true);
        child.kill('SIGINT');
        expect(await exited).toBe(0);
        expect(isAlive(pid)).toBe(false);
      } finally {
        await upstream.close();
        fs.rmSync(dir, { recursive: true, force: true });
      }
    },
  );
});

describeWithNginx('installing a configuration', () => {
  it('never installs one nginx -t refuses: the running file stays as it was', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'strangler-nginx-install-'));
    try {
      const prefix = prefixIn(dir);
      const good =
        'pid nginx.pid;\nevents {}\nhttp {\n  client_body_temp_path client_body_temp;\n  proxy_temp_path proxy_temp;\n  fastcgi_temp_path fastcgi_temp;\n  uwsgi_temp_path uwsgi_temp;\n  scgi_temp_path scgi_temp;\n}\n';
      await installConfig(requireNginx(), prefix, good);
      await expect(installConfig(requireNginx(), prefix, `${good}http {}\n`)).rejects.toThrow(
        /nginx refused the generated configuration[\s\S]*"http" directive is duplicate/,
      );
      expect(fs.readFileSync(prefix.configFile, 'utf8')).toBe(good);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
