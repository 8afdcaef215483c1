import type { Page } from 'playwright-core';
import { routesFileSchema } from '../../src/config-schema';
import { jsonOf } from '../support/raw-http';
import { startUpstream, type TestUpstream } from '../support/upstream';
import { ADMIN_TOKEN, routesDoc } from '../support/routes';
import { type Browser, browserAvailable, launchChromium, screenshotPath } from './support/browser';
import { type DashboardStack, startDashboardStack } from './support/dashboard-stack';

/** An element as the page script colours it (the project compiles without DOM types). */
type Painted = { style: { backgroundColor: string } };

// Shown in both shadow bodies: it must appear as text, never run.
const MARKUP = '<img src=x onerror="window.__pwned=1">';

function priced(name: string, price: number) {
  return startUpstream((req, res) => {
    req.resume();
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify({ upstream: name, path: req.url, price, note: req.headers['x-note'] ?? null }),
    );
  });
}

const describeInBrowser = browserAvailable() ? describe : describe.skip;

describeInBrowser('dashboard in headless Chromium', () => {
  let monolith: TestUpstream;
  let catalog: TestUpstream;
  let stack: DashboardStack;
  let browser: Browser;
  let page: Page;
  let shadowInRoutes = false;
  // What the page loaded and what the browser complained about (a CSP refusal is a console error).
  const loaded = new Map<string, { status: number; type: string | undefined }>();
  const consoleErrors: string[] = [];

  beforeAll(async () => {
    [monolith, catalog] = await Promise.all([
      priced('monolith', 10),
      priced('catalog-service', 12),
    ]);
    const catalogRoute = {
      name: 'catalog',
      match: { prefix: '/catalog' },
      to: 'monolith',
      shadow: 'catalog-service',
    };
    const doc = () =>
      routesDoc(
        { monolith: monolith.url, 'catalog-service': catalog.url },
        [
          catalogRoute,
          // A promotion at 25% whose window (an hour) cannot close during the test: the ladder stays put.
          {
            name: 'finance',
            match: { prefix: '/finance' },
            to: 'catalog-service',
            percent: 25,
            sticky: { header: 'x-customer-id' },
            shadow: 'catalog-service',
            promote: { windowMs: 3_600_000 },
          },
          // A write route: the monolith owns its data, so its writes may not be flipped away.
          { name: 'orders', match: { prefix: '/orders' }, to: 'monolith', writes: 'orders' },
        ],
        { dataSets: { orders: { owner: 'monolith' } } },
      );
    // The parallel run and the promotion are wired into the routes schema: a refusal here is a regression, not a reason to skip.
    shadowInRoutes = routesFileSchema.safeParse(doc()).success;
    if (!shadowInRoutes)
      throw new Error(
        `the routes schema refuses shadow/promote: ${routesFileSchema.safeParse(doc()).error?.message}`,
      );
    stack = await startDashboardStack(doc(), { monolith: monolith.url, candidate: catalog.url });
    console.info(
      `dashboard browser test: ${stack.wired ? 'dashboard wired into the admin port' : 'stand-in admin server (dashboard not wired into admin-api.ts yet)'}`,
    );
    for (let i = 0; i < 6; i++) await fetch(`${stack.proxy.url}/catalog/albums`);
    for (let i = 0; i < 12; i++)
      await fetch(`${stack.proxy.url}/finance/report`, {
        headers: { 'x-customer-id': `customer-${i}` },
      });
    browser = await launchChromium();
    page = await browser.context.newPage();
    page.setDefaultTimeout(10_000);
    page.on('response', (response) => {
      const { pathname } = new URL(response.url());
      loaded.set(pathname, { status: response.status(), type: response.headers()['content-type'] });
    });
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(message.text());
    });
  }, 30_000);

  afterAll(async () => {
    await browser?.close();
    await stack?.close();
    await Promise.all([monolith?.close(), catalog?.close()]);
  });

  const upstreamOf = async (path: string) => (await jsonOf(fetch(stack.proxy.url + path))).upstream;
  const cell = (table: string, key: string, selector: string) =>
    page.locator(`#${table} tr[data-route="${key}"] ${selector}`);

  it('asks for the token, refuses a wrong one, and signs in with an HttpOnly SameSite=Strict session cookie', async () => {
    await page.goto(`${stack.adminUrl}/dashboard`);
    await page.fill('#token', 'not-the-admin-token');
    await page.click('button[type=submit]');
    await page.locator('.problem', { hasText: 'That token is not valid' }).waitFor();
    await page.screenshot({ path: screenshotPath('login-refused.png') });
    await page.fill('#token', ADMIN_TOKEN);
    await page.click('button[type=submit]');
    await cell('routes', 'catalog', 'td.to').waitFor();
    const [cookie] = await browser.context.cookies();
    expect(cookie).toMatchObject({
      name: 'strangler_session',
      path: '/dashboard',
      httpOnly: true,
      sameSite: 'Strict',
    });
    expect(cookie.value).not.toContain(ADMIN_TOKEN);
    expect(await page.evaluate('document.cookie')).toBe('');
  });

  it('runs the static script modules and style from /dashboard/assets under the page policy, which refuses innerHTML', async () => {
    await page.locator('#routes tbody tr[data-route="default"]').waitFor();
    for (const name of ['dashboard.js', 'page.js', 'traffic.js', 'shadow.js', 'processes.js'])
      expect([name, loaded.get(`/dashboard/assets/${name}`)]).toEqual([
        name,
        { status: 200, type: 'text/javascript; charset=utf-8' },
      ]);
    expect(loaded.get('/dashboard/assets/dashboard.css')?.type).toBe('text/css; charset=utf-8');
    expect(
      await page.evaluate('getComputedStyle(document.querySelector("section")).borderRadius'),
    ).toBe('6px');
    expect(
      consoleErrors.filter((text) => /Content Security Policy|TrustedHTML/.test(text)),
    ).toEqual([]);
    expect(
      await page.evaluate(`(() => {
        try { document.body.insertAdjacentHTML('beforeend', '<b id="injected">x</b>'); return 'written'; }
        catch (error) { return error.name; }
      })()`),
    ).toBe('TypeError');
    expect(await page.locator('#injected').count()).toBe(0);
  });

  it('shows the routes, where each goes, the traffic split and the breakers', async () => {
    expect(
      await page
        .locator('#routes tbody tr')
        .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-route'))),
    ).toEqual(['catalog', 'finance', 'orders', 'default']);
    expect(await cell('routes', 'catalog', 'td.to').textContent()).toBe('monolith');
    expect(await cell('routes', 'finance', 'td.percent').textContent()).toBe('25%');
    expect(await cell('routes', 'finance', 'td:nth-child(5)').textContent()).toBe(
      'header x-customer-id',
    );
    await cell('traffic', 'finance', 'td:nth-child(3)').filter({ hasText: /^12$/ }).waitFor();
    const split = await cell('traffic', 'finance', '.legend').first().textContent();
    expect(split).toMatch(/catalog-service \d+%/);
    expect(split).toMatch(/monolith \d+%/);
    expect(await cell('traffic', 'catalog', 'td:nth-child(4)').textContent()).toBe('0%');
    expect(
      await page.locator('#breakers tr[data-upstream="catalog-service"] .badge').textContent(),
    ).toBe('closed');
  });

  it('gives each upstream one colour on the split bars and the breakers, and dates when a breaker opened', async () => {
    const colourIn = (selector: string) =>
      page
        .locator(selector)
        .first()
        .evaluate((node) => (node as unknown as Painted).style.backgroundColor);
    const breakerColour = {
      monolith: await colourIn('#breakers tr[data-upstream="monolith"] .swatch'),
      catalog: await colourIn('#breakers tr[data-upstream="catalog-service"] .swatch'),
    };
    expect(breakerColour.monolith).not.toBe(breakerColour.catalog);
    const legendColours = await cell('traffic', 'finance', '.legend .swatch').evaluateAll((nodes) =>
      nodes.map((n) => [
        n.nextSibling?.textContent?.split(' ')[0],
        (n as unknown as Painted).style.backgroundColor,
      ]),
    );
    expect(Object.fromEntries(legendColours)).toEqual({
      monolith: breakerColour.monolith,
      'catalog-service': breakerColour.catalog,
    });
    // An open breaker (the admin API's answer, rewritten on its way to the page) shows the day it opened, not only a time.
    const openedAt = Date.UTC(2026, 10, 27, 23, 5, 0);
    await page.route('**/dashboard/api/admin/status', async (route) => {
      const response = await route.fetch();
      const body = await response.json();
      body.breakers['catalog-service'] = { state: 'open', failures: 10, requests: 10, openedAt };
      await route.fulfill({ response, json: body });
    });
    try {
      const opened = page.locator('#breakers tr[data-upstream="catalog-service"] td.opened-at');
      await opened.filter({ hasText: /2026/ }).waitFor();
      const expected = await page.evaluate(
        (ms) =>
          new Date(ms).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'medium' }),
        openedAt,
      );
      expect(await opened.textContent()).toBe(expected);
      expect(expected).toMatch(/Nov 2[78], 2026/);
    } finally {
      await page.unroute('**/dashboard/api/admin/status');
    }
  });

  it('shows the promotion progress of a route that has one', async () => {
    if (!stack.promotion) {
      console.warn(
        'dashboard browser test: the wired proxy reports no route promotion; checking that routes without one show none',
      );
      expect(await cell('routes', 'finance', 'td:nth-child(7)').textContent()).toBe('–');
      return;
    }
    expect(await cell('routes', 'finance', '.steps span').allTextContents()).toEqual([
      'shadow',
      '5%',
      '25%',
      '50%',
      '100%',
    ]);
    expect(await cell('routes', 'finance', '.steps span.current').textContent()).toBe('25%');
    expect(await cell('routes', 'finance', '.steps span.done').count()).toBe(2);
    expect(await cell('routes', 'finance', '.promotion .badge').textContent()).toBe('running');
    expect(await cell('routes', 'catalog', 'td:nth-child(7)').textContent()).toBe('–');
  });

  it('shows a side-by-side example after a mismatching shadow request, with markup shown as text', async () => {
    if (stack.wired) {
      const status = (await stack.proxy.admin('/admin/shadow')).status;
      if (status === 404 || !shadowInRoutes) {
        console.warn(
          `dashboard browser test: the wired proxy ${status === 404 ? 'has no GET /admin/shadow' : 'does not take shadow: in routes'} yet; checking the notice instead of a diff`,
        );
        await page
          .locator('#shadow', {
            hasText:
              status === 404 ? 'does not expose shadow results' : 'No shadow comparisons yet',
          })
          .waitFor();
        await page.screenshot({ path: screenshotPath('dashboard.png'), fullPage: true });
        return;
      }
      await fetch(`${stack.proxy.url}/catalog/albums/1`, { headers: { 'x-note': MARKUP } });
    } else expect(await stack.mirror('/catalog/albums/1', { 'x-note': MARKUP })).toBe('differ');
    const sample = page.locator('#shadow .sample', { hasText: 'GET /catalog/albums/1' }).first();
    await sample.locator('code', { hasText: '$.price' }).waitFor();
    expect(
      await page.locator('#shadow-routes tr[data-route="catalog"] td:nth-child(2)').textContent(),
    ).toBe('0%');
    const [a, b] = await sample.locator('.side pre').allTextContents();
    expect(JSON.parse(a)).toMatchObject({ upstream: 'monolith', price: 10, note: MARKUP });
    expect(JSON.parse(b)).toMatchObject({ upstream: 'catalog-service', price: 12 });
    expect(await page.evaluate('window.__pwned')).toBeUndefined();
    await page.screenshot({ path: screenshotPath('dashboard.png'), fullPage: true });
  });

  it('flips a route only after confirmation, and the next request goes to the new target', async () => {
    const dialogs: string[] = [];
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void (dialogs.length === 1 ? dialog.dismiss() : dialog.accept());
    });
    await cell('routes', 'catalog', 'select').selectOption('catalog-service');
    await cell('routes', 'catalog', 'input[name=percent]').fill('100');
    await cell('routes', 'catalog', 'button').click();
    await page.locator('#notice', { hasText: 'cancelled' }).waitFor();
    expect(await upstreamOf('/catalog/albums')).toBe('monolith');
    await cell('routes', 'catalog', 'button').click();
    await cell('routes', 'catalog', 'td.to').filter({ hasText: 'catalog-service' }).waitFor();
    expect(dialogs[1]).toContain('Flip route "catalog" to catalog-service at 100%?');
    expect(await upstreamOf('/catalog/albums')).toBe('catalog-service');
    await page.screenshot({ path: screenshotPath('flipped.png'), fullPage: true });
  });

  it('shows who owns each data set, marks write routes, and shows why a write flip is refused', async () => {
    await page
      .locator('#data-sets tr[data-set="orders"] td.owner', { hasText: 'monolith' })
      .waitFor();
    expect(await page.locator('#data-sets tr[data-set="orders"] td.hold').textContent()).toBe('no');
    expect(await cell('routes', 'orders', '.writes').textContent()).toBe('writes orders');
    // The confirmation dialog is accepted by the listener the previous test left on the page.
    await cell('routes', 'orders', 'select').selectOption('catalog-service');
    await cell('routes', 'orders', 'input[name=percent]').fill('50');
    await cell('routes', 'orders', 'button').click();
    const notice = page.locator('#notice', { hasText: 'Flip refused: ERR_DATA_OWNERSHIP' });
    await notice.waitFor();
    expect(await notice.textContent()).toContain(
      'npx strangler data handover orders --to catalog-service',
    );
    expect(await cell('routes', 'orders', 'td.to').textContent()).toBe('monolith');
    expect(
      (await jsonOf(fetch(`${stack.proxy.url}/orders/1`, { method: 'POST', body: '{}' }))).upstream,
    ).toBe('monolith');
  });
});
