import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { BROWSER_DIR, createDashboard, loadAssets } from '../../src/dashboard';
import { captureLogs } from '../support/harness';
import { rawRequest } from '../support/raw-http';
import { ADMIN_TOKEN } from '../support/routes';

const served = fs.readdirSync(BROWSER_DIR).filter((name) => /\.(js|css)$/.test(name));

describe("the dashboard's static browser files", () => {
  let server: http.Server;
  let base: string;
  const logs = captureLogs();

  beforeAll(async () => {
    const dashboard = createDashboard({ token: ADMIN_TOKEN, logger: logs.logger });
    server = http.createServer(async (req, res) => {
      if (!(await dashboard.handle(req, res))) res.writeHead(418).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  it('serves the page script from disk as JavaScript, without a session, with nosniff, a CSP and revalidation', async () => {
    const response = await fetch(`${base}/dashboard/assets/dashboard.js`);
    expect(response.status).toBe(200);
    expect(await response.text()).toBe(
      fs.readFileSync(path.join(BROWSER_DIR, 'dashboard.js'), 'utf8'),
    );
    expect(Object.fromEntries(response.headers)).toMatchObject({
      'content-type': 'text/javascript; charset=utf-8',
      'cache-control': 'no-cache',
      'content-security-policy': "default-src 'none'; frame-ancestors 'none'; base-uri 'none'",
      'cross-origin-resource-policy': 'same-origin',
      'x-content-type-options': 'nosniff',
    });
    const etag = response.headers.get('etag')!;
    expect(etag).toMatch(/^"[\w-]+"$/);
    const again = await fetch(`${base}/dashboard/assets/dashboard.js`, {
      headers: { 'if-none-match': etag },
    });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe('');
  });

  it('serves the style sheet as CSS, and HEAD answers the headers only', async () => {
    const head = await rawRequest(base, {
      method: 'HEAD',
      path: '/dashboard/assets/dashboard.css',
    });
    expect(head.status).toBe(200);
    expect(head.headers['content-type']).toBe('text/css; charset=utf-8');
    expect(Number(head.headers['content-length'])).toBe(
      fs.statSync(path.join(BROWSER_DIR, 'dashboard.css')).size,
    );
    expect(head.body.length).toBe(0);
  });

  it('serves every .js and .css file of the browser folder, each .js type-checked (// @ts-check)', async () => {
    expect(served).toEqual(expect.arrayContaining(['dashboard.js', 'dashboard.css']));
    for (const name of served) {
      const response = await fetch(`${base}/dashboard/assets/${name}`);
      expect([name, response.status]).toEqual([name, 200]);
      const text = await response.text();
      if (name.endsWith('.js')) expect([name, text.split('\n')[0]]).toEqual([name, '// @ts-check']);
    }
  });

  it('answers 404 for any other name, even a file that sits in the folder, and for paths that try to leave it', async () => {
    expect(fs.existsSync(path.join(BROWSER_DIR, 'tsconfig.json'))).toBe(true);
    for (const name of [
      'tsconfig.json',
      'missing.js',
      'Dashboard.js',
      '',
      '%2e%2e%2fpage-html.ts',
    ]) {
      const response = await fetch(`${base}/dashboard/assets/${name}`);
      expect([name, response.status]).toEqual([name, 404]);
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe(
        'ERR_ADMIN_NOT_FOUND',
      );
    }
    const traversal = await rawRequest(base, {
      path: '/dashboard/assets/..%2f..%2f..%2fpackage.json',
    });
    expect(traversal.status).toBe(404);
    expect(traversal.body.toString()).not.toContain('"devDependencies"');
    const post = await fetch(`${base}/dashboard/assets/dashboard.js`, { method: 'POST' });
    expect(post.status).toBe(404);
  });

  it('links the files from the pages with the nonce of a policy that allows no other script or style', async () => {
    const policyOf = (response: Response) => {
      const csp = response.headers.get('content-security-policy') ?? '';
      const directive = (name: string) => new RegExp(`(?:^|; )${name} ([^;]*)`).exec(csp)?.[1];
      return { csp, script: directive('script-src'), style: directive('style-src') };
    };
    const login = await fetch(`${base}/dashboard`);
    const loginPolicy = policyOf(login);
    expect(loginPolicy.script).toMatch(/^'nonce-[\w+/=]+'$/);
    expect(loginPolicy.style).toBe(loginPolicy.script);
    expect(loginPolicy.csp).toContain("require-trusted-types-for 'script'");
    expect(await login.text()).toContain(
      `<link rel="stylesheet" href="/dashboard/assets/dashboard.css" nonce="${loginPolicy.script?.slice(7, -1)}">`,
    );

    const signIn = await fetch(`${base}/dashboard/login`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token: ADMIN_TOKEN }).toString(),
    });
    const cookie = (signIn.headers.get('set-cookie') ?? '').split(';')[0];
    const page = await fetch(`${base}/dashboard`, { headers: { cookie } });
    const pagePolicy = policyOf(page);
    const html = await page.text();
    expect(pagePolicy.script).not.toBe(loginPolicy.script);
    expect(html.match(/<script\b[^>]*>/g)).toEqual([
      `<script type="module" src="/dashboard/assets/dashboard.js" nonce="${pagePolicy.script?.slice(7, -1)}">`,
    ]);
  });

  it('fails at start, naming the file, when one of them is missing', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dashboard-assets-'));
    fs.copyFileSync(path.join(BROWSER_DIR, 'dashboard.js'), path.join(dir, 'dashboard.js'));
    expect(() => loadAssets(dir)).toThrow(/cannot read .*page\.js \(ENOENT\)/);
    fs.rmSync(dir, { recursive: true });
  });
});
