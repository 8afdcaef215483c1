import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createDashboard, SESSION_COOKIE } from '../../src/dashboard';
import { captureLogs } from '../support/harness';
import { ADMIN_TOKEN } from '../support/routes';

const SUMMARY = [
  {
    name: 'order-fulfilment',
    description: 'a placed order is paid for and gets a pick list',
    start: 'warehouse.order.placed',
    steps: ['finance.payment.booked', 'warehouse.pick-list.issued'],
    deadlineSeconds: 120,
    started: 12,
    completed: 10,
    inProgress: 1,
    overdue: 1,
    completedLate: 0,
    oldestOverdue: [
      { key: '7', startedAt: '2026-03-01T12:00:00.000Z', missing: ['finance.payment.booked'] },
    ],
  },
];

async function listen(
  handler: http.RequestListener,
): Promise<{ url: string; server: http.Server }> {
  const server = http.createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

describe('dashboard: business-process panel', () => {
  const logs = captureLogs();
  const servers: http.Server[] = [];
  afterAll(() => Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve)))));

  async function dashboardWith(processMonitorUrl: string | null) {
    const dashboard = createDashboard({
      token: ADMIN_TOKEN,
      logger: logs.logger,
      processMonitorUrl,
    });
    const { url, server } = await listen(async (req, res) => {
      if (!(await dashboard.handle(req, res))) res.writeHead(404).end();
    });
    servers.push(server);
    const login = await fetch(`${url}/dashboard/login`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token: ADMIN_TOKEN }).toString(),
    });
    const session = /strangler_session=([^;]*)/.exec(login.headers.get('set-cookie') ?? '')![1];
    return { url, cookie: `${SESSION_COOKIE}=${session}` };
  }

  it('relays the monitor’s /processes to a signed-in page, and refuses without a session', async () => {
    const monitor = await listen((req, res) => {
      res
        .writeHead(req.url === '/processes' ? 200 : 404, { 'content-type': 'application/json' })
        .end(JSON.stringify(SUMMARY));
    });
    servers.push(monitor.server);
    const { url, cookie } = await dashboardWith(monitor.url);
    const answer = await fetch(`${url}/dashboard/api/processes`, { headers: { cookie } });
    expect(answer.status).toBe(200);
    expect(await answer.json()).toEqual({ configured: true, processes: SUMMARY });
    expect((await fetch(`${url}/dashboard/api/processes`)).status).toBe(401);
    const page = await (await fetch(`${url}/dashboard`, { headers: { cookie } })).text();
    expect(page).toContain('<h2>Business processes</h2>');
    const script = await (await fetch(`${url}/dashboard/assets/processes.js`)).text();
    expect(script).toMatch(/getJson\(`\$\{API\}\/processes`\)/);
  });

  it('says when no monitor is configured, and when it is unreachable', async () => {
    const none = await dashboardWith(null);
    expect(
      await (
        await fetch(`${none.url}/dashboard/api/processes`, { headers: { cookie: none.cookie } })
      ).json(),
    ).toEqual({
      configured: false,
    });
    const down = await dashboardWith('http://127.0.0.1:1');
    const body = (await (
      await fetch(`${down.url}/dashboard/api/processes`, { headers: { cookie: down.cookie } })
    ).json()) as {
      error: string;
    };
    expect(body.error).toMatch(/^http:\/\/127\.0\.0\.1:1: /);
  });
});
