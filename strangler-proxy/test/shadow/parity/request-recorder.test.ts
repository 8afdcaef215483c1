import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequestRecorder } from '../../../src/shadow';
import { readRequestLog, toShadowRequest } from '../../../src/shadow';

describe('recording a request log', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'strangler-recorder-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('writes lines that strangler parity reads back to the same requests, without credentials', async () => {
    const file = path.join(dir, 'requests.jsonl');
    const recorder = createRequestRecorder(file);
    const binary = Buffer.from([0xff, 0x00, 0xfe]);
    recorder.record({
      method: 'get',
      path: '/albums?page=2',
      headers: {
        Accept: 'application/json',
        Authorization: 'Bearer secret',
        Cookie: 'sid=1',
        host: 'x',
      },
      route: 'catalog',
      correlationId: 'c-1',
    });
    recorder.record({
      method: 'POST',
      path: '/orders',
      headers: { 'content-type': 'application/json' },
      body: Buffer.from('{"albumId":3}'),
    });
    recorder.record({ method: 'PUT', path: '/covers/1', body: binary });
    await recorder.close();
    expect(fs.readFileSync(file, 'utf8')).not.toMatch(/secret|sid=1/);
    const [get, post, put] = readRequestLog(file);
    expect(get).toEqual({
      method: 'GET',
      path: '/albums?page=2',
      headers: { accept: 'application/json' },
      route: 'catalog',
      correlationId: 'c-1',
      line: 1,
    });
    expect(toShadowRequest(post).body?.toString()).toBe('{"albumId":3}');
    expect(toShadowRequest(put).body).toEqual(binary);
    expect(recorder.stats()).toEqual({ recorded: 3, dropped: 0, error: undefined });
  });

  it('drops and counts lines instead of queueing when the disk falls behind', async () => {
    const recorder = createRequestRecorder(path.join(dir, 'slow.jsonl'), { maxQueuedBytes: 16 });
    expect(recorder.record({ method: 'GET', path: `/${'a'.repeat(64)}` })).toBe(true);
    expect(recorder.record({ method: 'GET', path: '/b' })).toBe(false);
    await recorder.close();
    expect(recorder.stats()).toMatchObject({ recorded: 1, dropped: 1 });
  });
});
