import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseRequestLog, readRequestLog, toShadowRequest } from '../../../src/shadow';

describe('request log (JSON Lines)', () => {
  it('reads one request per line, skipping blank lines and keeping line numbers', () => {
    const text = [
      '{"method":"get","path":"/catalog/albums?page=2","headers":{"x-customer-id":"7"},"route":"catalog","correlationId":"c-1"}',
      '',
      '{"method":"POST","path":"/orders","body":{"albumId":3}}',
    ].join('\n');
    expect(parseRequestLog(text, 'log.jsonl')).toEqual([
      {
        method: 'GET',
        path: '/catalog/albums?page=2',
        headers: { 'x-customer-id': '7' },
        route: 'catalog',
        correlationId: 'c-1',
        line: 1,
      },
      { method: 'POST', path: '/orders', body: { albumId: 3 }, line: 3 },
    ]);
  });

  it('sends JSON bodies as JSON, text as text and base64 as bytes', () => {
    const [json, text, binary, typed] = parseRequestLog(
      [
        '{"method":"POST","path":"/a","body":{"n":1}}',
        '{"method":"POST","path":"/a","body":"plain"}',
        '{"method":"PUT","path":"/a","bodyBase64":"AAEC"}',
        '{"method":"POST","path":"/a","body":[1],"headers":{"Content-Type":"application/vnd.api+json"}}',
      ].join('\n'),
      'log.jsonl',
    ).map(toShadowRequest);
    expect(json).toMatchObject({
      headers: { 'content-type': 'application/json' },
      body: Buffer.from('{"n":1}'),
    });
    expect(text).toEqual({ method: 'POST', path: '/a', headers: {}, body: Buffer.from('plain') });
    expect(binary.body).toEqual(Buffer.from([0, 1, 2]));
    expect(typed.headers).toEqual({ 'Content-Type': 'application/vnd.api+json' });
  });

  it('sends the logged correlation id as X-Correlation-ID unless the headers carry one', () => {
    const [logged, explicit] = parseRequestLog(
      [
        '{"method":"GET","path":"/a","correlationId":"c-7"}',
        '{"method":"GET","path":"/a","correlationId":"c-7","headers":{"X-Correlation-ID":"c-8"}}',
      ].join('\n'),
      'log.jsonl',
    ).map(toShadowRequest);
    expect(logged.headers).toEqual({ 'x-correlation-id': 'c-7' });
    expect(explicit.headers).toEqual({ 'X-Correlation-ID': 'c-8' });
  });

  it.each([
    [
      'broken JSON',
      '{"method":"GET","path":"/ok"}\n{"method":"GET",',
      /log\.jsonl:2: not valid JSON .*each line is one object like/,
    ],
    [
      'a relative path',
      '{"method":"GET","path":"catalog"}',
      /log\.jsonl:1: field "path": must be an origin-form path starting with "\/"/,
    ],
    [
      'a path naming a host',
      '{"method":"GET","path":"//evil.example/"}',
      /log\.jsonl:1: field "path": must not start with "\/\/"/,
    ],
    ['an unknown field', '{"method":"GET","path":"/a","verb":"x"}', /log\.jsonl:1: line: .*verb/],
    [
      'two bodies',
      '{"method":"GET","path":"/a","body":"x","bodyBase64":"AA=="}',
      /either "body" or "bodyBase64"/,
    ],
    ['no requests', '\n\n', /has no requests/],
  ])('refuses %s, naming the line and the field', (_label, text, message) => {
    expect(() => parseRequestLog(text, 'log.jsonl')).toThrow(
      expect.objectContaining({
        code: 'ERR_PARITY_REQUESTS_INVALID',
        exitCode: 2,
        message: expect.stringMatching(message),
      }),
    );
  });

  it('names a missing file', () => {
    const missing = path.join(os.tmpdir(), 'no-such-dir-strangler', 'requests.jsonl');
    expect(fs.existsSync(missing)).toBe(false);
    expect(() => readRequestLog(missing)).toThrow(
      expect.objectContaining({
        code: 'ERR_PARITY_REQUESTS_UNREADABLE',
        message: expect.stringContaining('ENOENT'),
      }),
    );
  });
});
