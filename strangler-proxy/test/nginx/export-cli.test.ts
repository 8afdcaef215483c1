import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runCli } from '../../../test/support/run-cli';
import { routesYaml } from './support';

const ROOT = path.resolve(__dirname, '..', '..', '..');

describe('strangler routes export --format nginx / proxy start --engine nginx (CLI)', () => {
  let dir: string;
  let routesFile: string;

  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'strangler-nginx-cli-'));
    routesFile = path.join(dir, 'routes.yaml');
    fs.writeFileSync(
      routesFile,
      routesYaml({
        version: 1,
        upstreams: {
          monolith: { url: 'http://127.0.0.1:3000' },
          catalog: { url: 'http://127.0.0.1:4001', breaker: false },
        },
        default: { to: 'monolith' },
        routes: [{ name: 'catalog', match: { prefix: '/catalog' }, to: 'catalog', percent: 20 }],
      }),
    );
  });

  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('refuses (exit 2) a routes file whose breaker nginx would drop, and says how to proceed', () => {
    const result = runCli(['routes', 'export', '--format', 'nginx', '--routes', routesFile]);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('breaker (upstream "monolith")');
    expect(result.stderr).toContain('--allow-drop breaker');
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(result.stdout).toBe('');
  });

  it('writes the whole config to --out when the loss is accepted', () => {
    const out = path.join(dir, 'nginx.conf');
    const result = runCli([
      'routes',
      'export',
      '--format',
      'nginx',
      '--routes',
      routesFile,
      '--allow-drop',
      'breaker',
      '--listen',
      '127.0.0.1:9090',
      '--out',
      out,
    ]);
    expect(result.status).toBe(0);
    const text = fs.readFileSync(out, 'utf8');
    expect(text).toContain('listen 127.0.0.1:9090;');
    expect(text).toContain('20.00% catalog;');
    expect(text).toMatch(/- breaker \(upstream "monolith"\)/);
  });

  it.each([
    [['--format', 'yaml'], '--format "yaml" is not one of nginx'],
    [
      ['--format', 'nginx', '--allow-drop', 'breaker', '--listen', '127.0.0.1:0'],
      '--listen port must be a whole number from 1 to 65535',
    ],
    [['--format', 'nginx', '--allow-drop', 'brakes'], 'unknown feature "brakes"'],
    [['--format', 'nginx', '--allow-drop', 'breaker', '--listen', 'nowhere'], '--listen "nowhere"'],
  ])('exits 2 on bad usage %j', (args, message) => {
    const result = runCli(['routes', 'export', ...args, '--routes', routesFile]);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain(message);
  });

  it.each([
    [
      'strangler proxy start',
      ['-r', 'tsx/cjs', path.join(ROOT, 'scripts', 'strangler.ts'), 'proxy', 'start'],
    ],
    [
      'the proxy main (npm start)',
      ['-r', 'tsx/cjs', path.join(ROOT, 'strangler-proxy', 'src', 'main.ts')],
    ],
  ])('PROXY_ENGINE=nginx makes %s start nginx, as --engine nginx does', (_, args) => {
    const result = spawnSync(process.execPath, args, {
      cwd: ROOT,
      env: {
        ...process.env,
        PROXY_ENGINE: 'nginx',
        ROUTES_FILE: routesFile,
        NGINX_BIN: path.join(dir, 'no-nginx-here'),
        STRANGLER_ADMIN_DISABLED: '1',
      },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('nginx is not installed');
  });

  it('exits 2 naming the valid engines when PROXY_ENGINE is not one', () => {
    const result = runCli(['proxy', 'start', '--routes', routesFile], {
      PROXY_ENGINE: 'ngnix',
      STRANGLER_ADMIN_DISABLED: '1',
    });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain(
      'environment variable PROXY_ENGINE: must be one of undici, http-proxy-3, nginx (got "ngnix")',
    );
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('proxy start --engine nginx exits 2 with how to install nginx when it is missing', () => {
    const result = runCli(['proxy', 'start', '--engine', 'nginx', '--routes', routesFile], {
      NGINX_BIN: path.join(dir, 'no-nginx-here'),
      STRANGLER_ADMIN_DISABLED: '1',
    });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('nginx is not installed');
    expect(result.stderr).toContain('apt-get install');
  });
});
