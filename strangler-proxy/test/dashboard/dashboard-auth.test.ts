import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import {
  createDashboard,
  createLoginThrottle,
  type Dashboard,
  SESSION_COOKIE,
} from '../../src/dashboard';
import { escapeHtml } from '../../src/dashboard/escape-html';
import { createSessionStore } from '../../src/dashboard/session-store';
import { captureLogs } from '../support/harness';
import { jsonOf } from '../support/raw-http';
import { ADMIN_TOKEN } from '../support/routes';

const form = (fields: Record<string, string>) => ({
  method: 'POST',
  redirect: 'manual' as const,
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
  body: new URLSearchParams(fields).toString(),
});
const cookieOf = (response: Response) =>
  /strangler_session=([^;]*)/.exec(response.headers.get('set-cookie') ?? '')?.[1];

describe('dashboard sign-in and sessions', () => {
  let dashboard: Dashboard;
  let server: http.Server;
  let base: string;
  let seamDir: string;
  const logs = captureLogs();

  beforeAll(async () => {
    seamDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dashboard-seams-'));
    dashboard = createDashboard({
      token: ADMIN_TOKEN,
      logger: logs.logger,
      seamReportDir: seamDir,
    });
    // Stands for the admin API after wiring: /admin/* answers 200 only when checkSession allows it.
    server = http.createServer(async (req, res) => {
      if (await dashboard.handle(req, res)) return;
      const denied = dashboard.checkSession(req);
      res
        .writeHead(denied ? 403 : 200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ code: denied?.code ?? 'ok', url: req.url }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  async function signIn(): Promise<{ cookie: string; csrf: string }> {
    const response = await fetch(`${base}/dashboard/login`, form({ token: ADMIN_TOKEN }));
    const cookie = `${SESSION_COOKIE}=${cookieOf(response)}`;
    const page = await (await fetch(`${base}/dashboard`, { headers: { cookie } })).text();
    return { cookie, csrf: /name="strangler-csrf" content="([^"]+)"/.exec(page)![1] };
  }
  const codeOf = async (method: string, headers: Record<string, string>) =>
    (await jsonOf(fetch(`${base}/dashboard/api/admin/routes/x`, { method, headers }))).code;

  it('shows a login form, with a nonce-only content security policy, to a visitor without a session', async () => {
    const response = await fetch(`${base}/dashboard`);
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('<form method="post" action="/dashboard/login">');
    expect(response.headers.get('content-security-policy')).toMatch(/script-src 'nonce-[^']+';/);
    expect(response.headers.get('cache-control')).toBe('no-store');
  });

  it('refuses a wrong token with 401, sets no cookie and audits the attempt', async () => {
    const response = await fetch(
      `${base}/dashboard/login`,
      form({ token: 'wrong-token-wrong-token' }),
    );
    expect(response.status).toBe(401);
    expect(response.headers.get('set-cookie')).toBeNull();
    expect(await response.text()).toContain('That token is not valid');
    expect(
      logs.lines.some((l) => l.audit && l.action === 'dashboard login' && l.ok === false),
    ).toBe(true);
  });

  it('signs in with the token: an HttpOnly, SameSite=Strict cookie holding a session id, not the token', async () => {
    const response = await fetch(`${base}/dashboard/login`, form({ token: ADMIN_TOKEN }));
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('/dashboard');
    const setCookie = response.headers.get('set-cookie') ?? '';
    expect(setCookie).toMatch(/; Path=\/dashboard; HttpOnly; SameSite=Strict; Max-Age=\d+/);
    expect(setCookie).not.toContain(ADMIN_TOKEN);
    const page = await (
      await fetch(`${base}/dashboard`, {
        headers: { cookie: `${SESSION_COOKIE}=${cookieOf(response)}` },
      })
    ).text();
    expect(page).toContain('<table id="routes">');
  });

  it('lets a session read the admin API but change it only with the page CSRF value', async () => {
    const { cookie, csrf } = await signIn();
    expect(await codeOf('GET', {})).toBe('ERR_ADMIN_UNAUTHORIZED');
    expect(await codeOf('GET', { cookie: `${SESSION_COOKIE}=forged` })).toBe(
      'ERR_ADMIN_UNAUTHORIZED',
    );
    expect(await codeOf('GET', { cookie })).toBe('ok');
    expect(await codeOf('PATCH', { cookie })).toBe('ERR_ADMIN_FORBIDDEN');
    expect(await codeOf('PATCH', { cookie, 'x-strangler-csrf': `${csrf}x` })).toBe(
      'ERR_ADMIN_FORBIDDEN',
    );
    expect(await codeOf('PATCH', { cookie, 'x-strangler-csrf': csrf })).toBe('ok');
  });

  it('hands /dashboard/api/admin/* and /dashboard/api/metrics to the admin routing as /admin/* and /metrics', async () => {
    const { cookie } = await signIn();
    expect(
      await jsonOf(fetch(`${base}/dashboard/api/admin/routes?x=1`, { headers: { cookie } })),
    ).toEqual({ code: 'ok', url: '/admin/routes?x=1' });
    expect(
      (await jsonOf(fetch(`${base}/dashboard/api/metrics`, { headers: { cookie } }))).url,
    ).toBe('/metrics');
    expect((await fetch(`${base}/dashboard/api/healthz`, { headers: { cookie } })).status).toBe(
      404,
    );
  });

  it('signs out only with the page CSRF value, then the cookie no longer works', async () => {
    const { cookie, csrf } = await signIn();
    await fetch(`${base}/dashboard/logout`, {
      ...form({}),
      headers: { ...form({}).headers, cookie },
    });
    expect(await codeOf('GET', { cookie })).toBe('ok');
    const out = await fetch(`${base}/dashboard/logout`, {
      ...form({ csrf }),
      headers: { ...form({}).headers, cookie },
    });
    expect(out.headers.get('set-cookie')).toMatch(/strangler_session=; .*Max-Age=0/);
    expect(await codeOf('GET', { cookie })).toBe('ERR_ADMIN_UNAUTHORIZED');
  });

  it('refuses a sign-in form posted from another site', async () => {
    const response = await fetch(`${base}/dashboard/login`, {
      ...form({ token: ADMIN_TOKEN }),
      headers: { ...form({}).headers, origin: 'http://evil.example' },
    });
    expect(response.status).toBe(403);
    expect(response.headers.get('set-cookie')).toBeNull();
  });

  it('serves the latest seam report in a script-less sandbox, or says how to generate one', async () => {
    const { cookie } = await signIn();
    expect((await fetch(`${base}/dashboard/seams`, { redirect: 'manual' })).status).toBe(303);
    const missing = await fetch(`${base}/dashboard/seams`, { headers: { cookie } });
    expect(missing.status).toBe(404);
    expect(await missing.text()).toContain('npx strangler seams --root');
    fs.writeFileSync(path.join(seamDir, 'seams.html'), '<h1>seams of MusicCorp</h1>');
    const found = await fetch(`${base}/dashboard/seams`, { headers: { cookie } });
    expect(await found.text()).toBe('<h1>seams of MusicCorp</h1>');
    expect(found.headers.get('content-security-policy')).toMatch(/^sandbox;/);
  });

  it('leaves other paths to the admin API, and is off when the admin API is off', async () => {
    const off = createDashboard({ token: null, logger: logs.logger });
    const res = { headersSent: false, writeHead: jest.fn(), end: jest.fn(), destroy: jest.fn() };
    expect(await off.handle({ url: '/admin/routes', method: 'GET' } as never, res as never)).toBe(
      false,
    );
    expect(await off.handle({ url: '/dashboard', method: 'GET' } as never, res as never)).toBe(
      true,
    );
    expect(res.writeHead).toHaveBeenCalledWith(404, expect.anything());
  });
});

describe('dashboard building blocks', () => {
  it('expires sessions and drops the oldest past the cap', () => {
    let now = 0;
    const store = createSessionStore({ ttlMs: 1000, maxSessions: 2, now: () => now });
    const first = store.create();
    now = 999;
    expect(store.find(first.id)).toBe(first);
    now = 1000;
    expect(store.find(first.id)).toBeUndefined();
    const [a, b, c] = [store.create(), store.create(), store.create()];
    expect([store.find(a.id), store.find(b.id), store.find(c.id)].map(Boolean)).toEqual([
      false,
      true,
      true,
    ]);
  });

  it('slows guessing per source: 20 failures in a minute lock that address until its minute is over', () => {
    let now = 0;
    const throttle = createLoginThrottle(20, () => now);
    for (let i = 0; i < 20; i++) throttle.fail('203.0.113.9');
    expect(throttle.lockedFor('203.0.113.9')).toBe(60_000);
    expect(throttle.lockedFor('198.51.100.7')).toBe(0);
    now = 45_000;
    expect(throttle.lockedFor('203.0.113.9')).toBe(15_000);
    now = 60_000;
    expect(throttle.lockedFor('203.0.113.9')).toBe(0);
  });

  it('escapes markup characters', () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe(
      '&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;',
    );
  });
});

describe('dashboard sign-in lockout', () => {
  let server: http.Server;
  let port: number;
  const logs = captureLogs();

  beforeAll(async () => {
    const dashboard = createDashboard({ token: ADMIN_TOKEN, logger: logs.logger });
    server = http.createServer(async (req, res) => {
      if (!(await dashboard.handle(req, res))) res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  /** Posts the sign-in form from a chosen loopback address (Linux routes all of 127/8 to lo). */
  function signInFrom(localAddress: string, token: string) {
    const body = new URLSearchParams({ token }).toString();
    return new Promise<{ status: number; headers: http.IncomingHttpHeaders; text: string }>(
      (resolve, reject) => {
        const req = http.request(
          {
            host: '127.0.0.1',
            port,
            localAddress,
            method: 'POST',
            path: '/dashboard/login',
            headers: { 'content-type': 'application/x-www-form-urlencoded' },
          },
          (res) => {
            let text = '';
            res.setEncoding('utf8');
            res.on('data', (chunk) => (text += chunk));
            res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, text }));
          },
        );
        req.on('error', reject);
        req.end(body);
      },
    );
  }

  it('locks the guessing address, says for how long, and still lets the right token in from elsewhere', async () => {
    for (let i = 0; i < 20; i++)
      expect((await signInFrom('127.0.0.3', 'wrong-token')).status).toBe(401);
    const locked = await signInFrom('127.0.0.3', ADMIN_TOKEN);
    expect(locked.status).toBe(429);
    const seconds = Number(locked.headers['retry-after']);
    expect(seconds).toBeGreaterThan(50);
    expect(seconds).toBeLessThanOrEqual(60);
    expect(locked.text).toContain(
      `Too many failed sign-ins from 127.0.0.3: sign-in from this address is locked for ${seconds} more seconds.`,
    );
    const elsewhere = await signInFrom('127.0.0.4', ADMIN_TOKEN);
    expect(elsewhere.status).toBe(303);
    expect(elsewhere.headers['set-cookie']?.[0]).toMatch(/^strangler_session=/);
  });
});
