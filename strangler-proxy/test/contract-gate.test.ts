import fs from 'node:fs';
import type http from 'node:http';
import { parse } from 'yaml';
import {
  type ScratchContracts,
  scratchContracts,
} from '../../contracts/test/support/scratch-contracts';
import { ProxyError } from '../src/errors';
import { writeRouteChange } from '../src/routes-writer';
import { startTestProxy, type TestProxy } from './support/harness';
import { routesDoc, writeRoutesFile } from './support/routes';
import { startUpstream, type TestUpstream } from './support/upstream';

const percentOf = (file: string, name: string) =>
  (
    parse(fs.readFileSync(file, 'utf8')).routes as Array<{
      name: string;
      percent: number;
      to: string;
    }>
  ).find((r) => r.name === name)!;

const albumsRoute = (extra: Record<string, unknown> = {}) => ({
  name: 'albums',
  match: { prefix: '/albums' },
  to: 'monolith',
  ...extra,
});

describe('flip to 100 % asks the contracts first', () => {
  let contracts: ScratchContracts;
  let file: string;
  beforeEach(() => {
    contracts = scratchContracts();
    file = writeRoutesFile(
      routesDoc(
        { monolith: 'http://127.0.0.1:3000', 'albums-service': 'http://127.0.0.1:4001' },
        [albumsRoute()],
        { contracts: contracts.file },
      ),
    );
  });
  afterEach(() => contracts.cleanup());

  it('refuses when a consumer’s contract fails, names the consumer and the interaction, and leaves the file alone', () => {
    contracts.record('fail');
    const before = fs.readFileSync(file, 'utf8');
    let error: unknown;
    try {
      writeRouteChange(file, 'albums', { to: 'albums-service', percent: 100 });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ProxyError);
    expect((error as ProxyError).code).toBe('ERR_CONTRACTS_REFUSED');
    expect((error as ProxyError).message).toContain(
      'route "albums": refusing to send all of its traffic to "albums-service": albums: contracts would break: web → albums: "given an album exists: a request for an album"',
    );
    expect(fs.readFileSync(file, 'utf8')).toBe(before);
  });

  it('refuses an unverified provider with the command that verifies it', () => {
    expect(() => writeRouteChange(file, 'albums', { to: 'albums-service' })).toThrow(
      /npx strangler contracts verify albums/,
    );
  });

  it('allows it once the contracts pass, and never gates a canary below 100 % or a move back to the monolith', () => {
    contracts.record('fail');
    expect(writeRouteChange(file, 'albums', { to: 'albums-service', percent: 10 }).after).toEqual({
      to: 'albums-service',
      percent: 10,
    });
    contracts.record('pass');
    writeRouteChange(file, 'albums', { percent: 100 });
    expect(percentOf(file, 'albums')).toMatchObject({ to: 'albums-service', percent: 100 });
    contracts.editProvider();
    contracts.record('fail');
    writeRouteChange(file, 'albums', { to: 'monolith' });
    expect(percentOf(file, 'albums').to).toBe('monolith');
  });
});

describe('the admin API and promote: auto ask the contracts too', () => {
  const json = (body: unknown) => (req: http.IncomingMessage, res: http.ServerResponse) => {
    req.resume();
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };
  const PROMOTE = { windowMs: 100, minRequests: 3, minMatchRate: 0.99 };
  let contracts: ScratchContracts;
  let monolith: TestUpstream;
  let candidate: TestUpstream;
  let proxy: TestProxy;

  beforeAll(async () => {
    contracts = scratchContracts();
    monolith = await startUpstream(json({ id: 1 }));
    candidate = await startUpstream(json({ id: 1 }));
    proxy = await startTestProxy(
      routesDoc(
        { monolith: monolith.url, 'albums-service': candidate.url },
        [
          albumsRoute({
            to: 'albums-service',
            percent: 50,
            shadow: 'albums-service',
            promote: PROMOTE,
          }),
          { name: 'artists', match: { prefix: '/artists' }, to: 'monolith' },
        ],
        { contracts: contracts.file },
      ),
      { promotionCheckMs: 3_600_000 },
    );
  });
  afterAll(async () => {
    await proxy?.close();
    await Promise.all([monolith?.close(), candidate?.close()]);
    contracts.cleanup();
  });

  it('PATCH /admin/routes/:name to 100 % answers 409 with the reason', async () => {
    contracts.record('fail');
    const res = await proxy.admin('/admin/routes/artists', {
      method: 'PATCH',
      body: JSON.stringify({ to: 'albums-service', percent: 100 }),
    });
    expect(res.status).toBe(409);
    expect(
      ((await res.json()) as { error: { code: string; message: string } }).error,
    ).toMatchObject({
      code: 'ERR_CONTRACTS_REFUSED',
      message: expect.stringContaining('web → albums'),
    });
  });

  it('holds a due promotion step while the contracts fail, says why, and takes it once they pass', async () => {
    contracts.record('fail');
    const due = async () => {
      for (let i = 0; i < 20; i++)
        expect((await fetch(`${proxy.url}/albums/${i}`)).status).toBe(200);
      await proxy.proxy.shadow.drain();
      await new Promise((resolve) => setTimeout(resolve, PROMOTE.windowMs + 20));
      proxy.proxy.promotion.check();
    };
    await due();
    expect(percentOf(proxy.file!, 'albums').percent).toBe(50);
    expect(proxy.proxy.promotion.view('albums')).toMatchObject({
      state: 'paused',
      step: 50,
      reason: expect.stringContaining('waiting for contracts before the next step'),
    });
    contracts.record('pass');
    proxy.proxy.promotion.check();
    expect(percentOf(proxy.file!, 'albums').percent).toBe(100);
    expect(proxy.proxy.promotion.view('albums')).toMatchObject({ state: 'done', step: 100 });
  });
});
