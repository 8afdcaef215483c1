import type http from 'node:http';
import { WebSocket, WebSocketServer } from 'ws';
import { echo, startUpstream, type TestUpstream } from './support/upstream';
import { routesDoc } from './support/routes';
import { startTestProxy, type TestProxy } from './support/harness';

describe('WebSocket passthrough', () => {
  let monolith: TestUpstream;
  let live: TestUpstream;
  let proxy: TestProxy;
  const upgrades: http.IncomingMessage[] = [];

  beforeAll(async () => {
    monolith = await startUpstream(echo('monolith'));
    live = await startUpstream(echo('live'), (server) => {
      const wss = new WebSocketServer({ server });
      wss.on('connection', (socket, req) => {
        upgrades.push(req);
        socket.on('message', (data) => socket.send(`echo:${data}`));
      });
    });
    proxy = await startTestProxy(
      routesDoc({ monolith: monolith.url, live: live.url }, [
        { name: 'live', match: { prefix: '/live' }, to: 'live' },
      ]),
      { inMemory: true },
    );
  });

  afterAll(async () => {
    await proxy.close();
    await Promise.all([monolith.close(), live.close()]);
  });

  it('upgrades through the proxy to the routed upstream and relays messages both ways', async () => {
    const socket = new WebSocket(`${proxy.url.replace('http', 'ws')}/live/../live/feed`, {
      headers: { 'x-correlation-id': 'ws-1' },
    });
    const reply = await new Promise<string>((resolve, reject) => {
      socket.on('open', () => socket.send('hello'));
      socket.on('message', (data) => resolve(String(data)));
      socket.on('error', reject);
    });
    socket.close();
    expect(reply).toBe('echo:hello');
    expect(upgrades[0].url).toBe('/live/feed');
    expect(upgrades[0].headers['x-correlation-id']).toBe('ws-1');
  });

  it('relays the refusal when the upstream does not speak WebSocket', async () => {
    const socket = new WebSocket(`${proxy.url.replace('http', 'ws')}/plain`);
    const status = await new Promise<number>((resolve) => {
      socket.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      socket.on('error', () => resolve(-1));
    });
    expect(status).toBe(200);
  });
});
