import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runParity } from '../src/shadow';
import { recordRequestsPlugin } from '../src/plugins/record-requests';
import { startTestProxy, type TestProxy } from './support/harness';
import { routesDoc } from './support/routes';
import { startUpstream, type TestUpstream } from './support/upstream';

const answer =
  (price: number) =>
  (req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ path: req.url, price }));
  };

describe('recording a request log for strangler parity', () => {
  let dir: string;
  let monolith: TestUpstream;
  let same: TestUpstream;
  let different: TestUpstream;
  let proxy: TestProxy;
  let recorder: ReturnType<typeof recordRequestsPlugin>;
  const quiet = { stdout: { write: () => true }, stderr: { write: () => true } };

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'strangler-record-'));
    monolith = await startUpstream(answer(10));
    same = await startUpstream(answer(10));
    different = await startUpstream(answer(11));
    recorder = recordRequestsPlugin(path.join(dir, 'requests.jsonl'));
    proxy = await startTestProxy(
      routesDoc({ monolith: monolith.url }, [
        { name: 'catalog', match: { prefix: '/catalog' }, to: 'monolith' },
      ]),
      { plugins: [recorder] },
    );
  });
  afterAll(async () => {
    await proxy.close();
    await Promise.all([monolith.close(), same.close(), different.close()]);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('writes one line per request, with route and query, never credentials', async () => {
    await fetch(`${proxy.url}/catalog/albums?genre=jazz`, {
      headers: {
        authorization: 'Bearer secret-token',
        cookie: 'sid=1',
        'x-correlation-id': 'rec-1',
        accept: 'application/json',
      },
    });
    await fetch(`${proxy.url}//catalog/../catalog/albums/7`);
    await recorder.close();
    const lines = fs
      .readFileSync(path.join(dir, 'requests.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatchObject({
      method: 'GET',
      path: '/catalog/albums?genre=jazz',
      route: 'catalog',
      correlationId: 'rec-1',
      headers: { accept: 'application/json' },
    });
    expect(JSON.stringify(lines)).not.toMatch(/secret-token|sid=1/);
    expect(lines[1].path).toBe('/catalog/albums/7');
    expect(recorder.stats()).toMatchObject({ recorded: 2, dropped: 0 });
  });

  it('is a log that parity replays: 0 when both targets agree, 1 when they differ', async () => {
    const requests = path.join(dir, 'requests.jsonl');
    expect(await runParity({ a: monolith.url, b: same.url, requests }, quiet)).toBe(0);
    expect(await runParity({ a: monolith.url, b: different.url, requests }, quiet)).toBe(1);
  });
});
