import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type AccessLogEntry, followAccessLog } from '../../src/nginx';

const line = (fields: Record<string, unknown>) =>
  `${JSON.stringify({ route: 'catalog', upstream: 'catalog-service', target: 'catalog-service', fellBack: '0', status: 200, durationSeconds: 0.004, upstreamStatus: '200', ...fields })}\n`;

describe('the nginx access log as metrics', () => {
  let dir: string;
  let file: string;
  let seen: AccessLogEntry[];

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'strangler-nginx-log-'));
    file = path.join(dir, 'access.log');
    fs.writeFileSync(file, line({ route: 'before-start' }));
    seen = [];
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('reads whole lines written after it started, a partial line once it is complete', () => {
    const follower = followAccessLog(file, (entry) => seen.push(entry), 60_000);
    const whole = line({ status: 503, upstreamStatus: '503, 503, 200' });
    fs.appendFileSync(file, whole + whole.slice(0, 20));
    follower.readNow();
    expect(seen).toHaveLength(1);
    expect(seen[0]).toEqual({
      route: 'catalog',
      upstream: 'catalog-service',
      target: 'catalog-service',
      status: 503,
      durationSeconds: 0.004,
      fellBack: false,
      retries: 2,
      targetStatuses: [503, 503, 200],
      fallbackStatuses: [],
    });
    fs.appendFileSync(file, whole.slice(20));
    follower.readNow();
    expect(seen).toHaveLength(2);
    follower.stop();
  });

  it('counts a fallback, not its attempt as a retry, and starts over on a truncated file', () => {
    const follower = followAccessLog(file, (entry) => seen.push(entry), 60_000);
    fs.truncateSync(file, 0); // rotated or truncated
    follower.readNow();
    fs.appendFileSync(
      file,
      line({ upstream: 'monolith', fellBack: '1', upstreamStatus: '502 : 200' }),
    );
    follower.readNow();
    expect(
      seen.map((e) => [
        e.upstream,
        e.target,
        e.fellBack,
        e.retries,
        e.targetStatuses,
        e.fallbackStatuses,
      ]),
    ).toEqual([['monolith', 'catalog-service', true, 0, [502], [200]]]);
    fs.appendFileSync(file, 'not json\n');
    follower.readNow();
    expect(seen).toHaveLength(1);
    follower.stop();
  });

  it("when the route's breaker was open, then every status is the fallback's, none the target's", () => {
    const follower = followAccessLog(file, (entry) => seen.push(entry), 60_000);
    fs.appendFileSync(
      file,
      line({ upstream: 'monolith', fellBack: '1', breakerOpen: '1', upstreamStatus: '200' }) +
        line({ upstream: '', breakerOpen: '1', status: 503, upstreamStatus: '' }),
    );
    follower.readNow();
    expect(seen.map((e) => [e.upstream, e.targetStatuses, e.fallbackStatuses, e.retries])).toEqual([
      ['monolith', [], [200], 0],
      ['none', [], [], 0],
    ]);
    follower.stop();
  });
});
