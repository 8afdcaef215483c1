import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { Command } from 'commander';
import { registerParityCommands } from '../../../src/shadow';
import { type ParityOptions, runParity } from '../../../src/shadow';
import type { ParityReport } from '../../../src/shadow';

interface Flavour {
  /** Reverse item order (a service that sorts differently). */
  reverse?: boolean;
  /** Price of album 2. */
  price2?: number;
}

/** A tiny catalog: the same data from both targets, with a per-answer request id (noise). */
function startCatalog(
  flavour: Flavour,
): Promise<{ url: string; server: http.Server; hits: string[] }> {
  const hits: string[] = [];
  let counter = 0;
  const server = http.createServer((req, res) => {
    hits.push(`${req.method} ${req.url}`);
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const items = [
        { id: 1, title: 'Blue', price: 10 },
        { id: 2, title: 'Kind of Blue', price: flavour.price2 ?? 12 },
      ];
      const send = (status: number, body: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
      };
      if (req.url === '/albums')
        return send(200, {
          items: flavour.reverse ? items.reverse() : items,
          meta: { requestId: `r${++counter}` },
        });
      if (req.url === '/albums/1') return send(200, items[0]);
      if (req.url === '/echo' && req.method === 'POST')
        return send(201, JSON.parse(Buffer.concat(chunks).toString()));
      send(404, { error: 'not found' });
    });
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      resolve({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server, hits });
    }),
  );
}

function capture() {
  const out = { stdout: '', stderr: '' };
  return {
    out,
    io: {
      stdout: { write: (t: string) => (out.stdout += t) },
      stderr: { write: (t: string) => (out.stderr += t) },
    },
  };
}

describe('strangler parity', () => {
  let dir: string;
  let monolith: Awaited<ReturnType<typeof startCatalog>>;
  let sameService: Awaited<ReturnType<typeof startCatalog>>;
  let driftedService: Awaited<ReturnType<typeof startCatalog>>;
  let log: string;

  const write = (name: string, text: string) => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, text);
    return file;
  };
  const run = async (options: Partial<ParityOptions>) => {
    const { out, io } = capture();
    const code = await runParity(
      { a: monolith.url, b: sameService.url, requests: log, progress: false, ...options },
      io,
    );
    return { code, ...out };
  };

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'strangler-parity-'));
    [monolith, sameService, driftedService] = await Promise.all([
      startCatalog({}),
      startCatalog({ reverse: true }),
      startCatalog({ reverse: true, price2: 13 }),
    ]);
    log = write(
      'requests.jsonl',
      [
        '{"method":"GET","path":"/albums","correlationId":"c-1"}',
        '{"method":"GET","path":"/albums/1"}',
        '{"method":"POST","path":"/echo","body":{"n":1}}',
        '{"method":"GET","path":"/missing"}',
      ].join('\n'),
    );
  });

  afterAll(async () => {
    await Promise.all(
      [monolith, sameService, driftedService].map(
        (t) => new Promise((resolve) => t.server.close(resolve)),
      ),
    );
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('exits 0 when every answer matches under the rules (order by key, request id ignored)', async () => {
    const rules = write(
      'rules.yaml',
      "compare:\n  arrayKeys: { '$.items': id }\n  ignore: ['$.meta.requestId']\n  headers: [content-type]\n",
    );
    const result = await run({ compare: rules });
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toContain('parity: 4 requests replayed');
    expect(result.stdout).toContain('matched   3 (100.0%)');
    expect(result.stdout).toContain('skipped   1 writes');
    expect(result.stdout).toContain('all answers match');
    expect([...sameService.hits].sort()).toEqual(['GET /albums', 'GET /albums/1', 'GET /missing']);
  });

  it('replays writes only with --include-writes', async () => {
    const rules = write('rules-writes.yaml', "arrayKeys: { '$.items': id }\nignore: ['$.meta']\n");
    const result = await run({ compare: rules, includeWrites: true });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('matched   4 (100.0%)');
    expect(monolith.hits).toContain('POST /echo');
    expect(sameService.hits).toContain('POST /echo');
  });

  it('exits 1 on a difference, prints differences by field and examples, and writes the JSON report', async () => {
    const rules = write('rules-keyed.yaml', "arrayKeys: { '$.items': id }\nignore: ['$.meta']\n");
    const reportFile = path.join(dir, 'out', 'report.json');
    const result = await run({ b: driftedService.url, compare: rules, report: reportFile });
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(
      /differences by field \(requests\):\n\s+1 {2}\$\.items\[\*\]\.price/,
    );
    expect(result.stdout).toContain('line 1: GET /albums [c-1]');
    expect(result.stdout).toContain('$.items[id=2].price  value  a=12  b=13');
    expect(result.stdout).toContain('1 of 4 requests do not match');
    expect(result.stdout).toContain('matched   2 (66.7%)');
    const report = JSON.parse(fs.readFileSync(reportFile, 'utf8')) as ParityReport;
    expect(report).toMatchObject({
      requests: 4,
      matched: 2,
      differed: 1,
      errors: 0,
      skipped: 1,
      fields: [{ field: '$.items[*].price', count: 1 }],
    });
    expect(report.mismatches[0]).toMatchObject({
      line: 1,
      correlationId: 'c-1',
      a: { status: 200 },
      b: { status: 200 },
    });
    expect(report.mismatches[0].b!.body).toContain('"price":13');
  });

  it('without rules, reports the order and the noise as differences', async () => {
    const result = await run({});
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('$.meta.requestId');
    expect(result.stdout).toContain('$.items[*].id');
  });

  it('with --learn-noise, ignores the fields where A disagrees with itself', async () => {
    const rules = write('rules-order.yaml', "arrayKeys: { '$.items': id }\n");
    const before = monolith.hits.length;
    const result = await run({ compare: rules, learnNoise: true });
    expect(result.stdout).toContain('noise learned for GET /albums: $.meta.requestId');
    expect(result.code).toBe(0);
    expect(monolith.hits.slice(before).sort()).toEqual([
      'GET /albums',
      'GET /albums',
      'GET /albums/1',
      'GET /albums/1',
      'GET /missing',
      'GET /missing',
    ]);
  });

  it('exits 1 and names the side when a target cannot be reached', async () => {
    const closed = await startCatalog({});
    await new Promise((resolve) => closed.server.close(resolve));
    const result = await run({ b: closed.url, concurrency: 2 });
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('errors    3');
    expect(result.stdout).toMatch(/error: b: ECONNREFUSED/);
  });

  it.each([
    [
      'a missing request log',
      { requests: '/nonexistent/requests.jsonl' },
      /requests\.jsonl: cannot read the request log \(ENOENT\)/,
    ],
    [
      'a bad URL',
      { a: 'localhost:3000' },
      /--a must be an http\(s\) origin .* \(got "localhost:3000"\)/,
    ],
    ['a URL with a path', { b: 'http://127.0.0.1:1/api' }, /--b must be an http\(s\) origin/],
    [
      'a bad concurrency',
      { concurrency: '0' },
      /--concurrency must be a whole number from 1 to 256/,
    ],
    [
      'a missing rules file',
      { compare: '/nonexistent/rules.yaml' },
      /rules\.yaml: cannot read the comparison rules/,
    ],
  ])('exits 2 on %s', async (_label, options, message) => {
    const result = await run(options);
    expect(result).toMatchObject({ code: 2, stdout: '' });
    expect(result.stderr).toMatch(message);
  });

  it('exits 2 on a malformed line, naming its number', async () => {
    const bad = write(
      'bad.jsonl',
      '{"method":"GET","path":"/albums"}\n\n{"method":"GET","path":"/albums"',
    );
    const result = await run({ requests: bad });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('bad.jsonl:3: not valid JSON');
  });

  it('exits 2 on invalid rules, naming the file and the field', async () => {
    const rules = write('bad-rules.yaml', "ignore: ['items']\n");
    const result = await run({ compare: rules });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(
      /bad-rules\.yaml: ignore\.0: path pattern "items" must start with "\$"/,
    );
  });

  it('is registered as a commander command with these options', async () => {
    const program = new Command('strangler').exitOverride();
    registerParityCommands(program);
    const stdout = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
    try {
      await program.parseAsync(
        [
          'parity',
          '--a',
          monolith.url,
          '--b',
          driftedService.url,
          '--requests',
          log,
          '--concurrency',
          '2',
          '--examples',
          '0',
        ],
        { from: 'user' },
      );
      expect(process.exitCode).toBe(1);
      expect(stdout.mock.calls.map((c) => String(c[0])).join('')).toContain(
        'parity: 4 requests replayed',
      );
    } finally {
      stdout.mockRestore();
      process.exitCode = undefined;
    }
  });
});
