import pino from 'pino';
import type { Exchange } from '../src/exchange';
import { accessLogPlugin } from '../src/plugins/access-log';

function capture(options: pino.LoggerOptions = {}) {
  const lines: string[] = [];
  const logger = pino(
    {
      base: { component: 'strangler-proxy' },
      timestamp: () => ',"time":1700000000000',
      ...options,
    },
    { write: (line: string) => void lines.push(line) },
  );
  return { logger, lines };
}

function exchange(overrides: Partial<Exchange> = {}): Exchange {
  return {
    req: { method: 'GET', url: '/catalog/albums/1?x=1' },
    res: {},
    correlationId: 'abc-123',
    table: {},
    upstreams: new Map(),
    startedAt: 0,
    target: { path: '/catalog/albums/1', query: '?x=1', segments: ['catalog', 'albums', '1'] },
    decision: {
      route: { name: 'album "quoted"' },
      upstream: 'catalog-service',
      params: {},
      reason: '',
    },
    upstream: 'catalog-service',
    status: 200,
    attempts: 1,
    fellBack: false,
    error: null,
    ...overrides,
  } as unknown as Exchange;
}

/** What pino itself writes for the access record. */
function pinoLine(record: Exchange, seconds: number, child?: Record<string, unknown>): string {
  const { logger, lines } = capture();
  const target = child ? logger.child(child) : logger;
  target.info(
    {
      correlationId: record.correlationId,
      method: record.req.method,
      path: record.target?.path ?? record.req.url,
      route: record.decision?.route.name ?? null,
      upstream: record.upstream,
      status: record.status,
      durationMs: Math.round(seconds * 100_000) / 100,
      attempts: record.attempts,
      fallback: record.fellBack || undefined,
    },
    'request',
  );
  return lines[0];
}

describe('access log', () => {
  it('writes the line pino writes for the same record (escaping, nulls, fallback, child bindings)', () => {
    const cases: Array<[Exchange, number]> = [
      [exchange(), 0.0123456],
      [exchange({ fellBack: true, attempts: 2, upstream: 'monolith' }), 1.5],
      [exchange({ decision: null, upstream: null, status: 400, target: null }), 0.0001],
      [
        exchange({
          decision: { route: { name: 'back\\slash ☃ 🎵 tab\t' } } as never,
          correlationId: 'plain-id',
        }),
        2,
      ],
    ];
    for (const [record, seconds] of cases) {
      const { logger, lines } = capture();
      const child = logger.child({ instance: 'a"b' });
      accessLogPlugin(child).onFinish!(record, seconds);
      expect(lines).toEqual([pinoLine(record, seconds, { instance: 'a"b' })]);
    }
  });

  it('writes nothing below its level, and failures go through pino as warnings with the reason', () => {
    const { logger, lines } = capture({ level: 'warn' });
    const plugin = accessLogPlugin(logger);
    plugin.onFinish!(exchange(), 0.01);
    expect(lines).toEqual([]);
    plugin.onFinish!(
      exchange({
        status: 504,
        error: { code: 'ERR_UPSTREAM_TIMEOUT', message: 'upstream timed out' } as never,
      }),
      0.01,
    );
    expect(JSON.parse(lines[0])).toMatchObject({
      level: 40,
      error: 'ERR_UPSTREAM_TIMEOUT',
      reason: 'upstream timed out',
      msg: 'request failed upstream',
    });
  });

  it('goes through pino, so loggers that rewrite records (redaction, mixin) apply to it', () => {
    const redacted = capture({ redact: ['path'] });
    accessLogPlugin(redacted.logger).onFinish!(exchange(), 0.01);
    expect(JSON.parse(redacted.lines[0]).path).toBe('[Redacted]');
    const mixed = capture({ mixin: () => ({ extra: 1 }) });
    accessLogPlugin(mixed.logger).onFinish!(exchange(), 0.01);
    expect(JSON.parse(mixed.lines[0])).toMatchObject({ extra: 1, msg: 'request', status: 200 });
  });
});
