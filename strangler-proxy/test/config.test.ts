import fs from 'node:fs';
import path from 'node:path';
import { loadRoutesFile, parseRoutesText } from '../src/config';
import { ProxyError } from '../src/errors';
import { MALFORMED } from './support/malformed-routes';
import { routesDoc, writeRoutesFile } from './support/routes';

function errorOf(fn: () => unknown): ProxyError {
  try {
    fn();
  } catch (error) {
    if (error instanceof ProxyError) return error;
    throw error;
  }
  throw new Error('expected the routes file to be refused');
}

describe('routes file validation', () => {
  it('loads the shipped routes.yaml: catalog and finance to the monolith, v2 of albums to catalog-service, default to the monolith', () => {
    const config = loadRoutesFile(path.resolve(__dirname, '..', 'routes.yaml'));
    expect(Object.keys(config.upstreams)).toEqual([
      'monolith',
      'catalog-service',
      'finance-service',
    ]);
    expect(config.routes.map((r) => [r.name, r.to, r.writes ?? null])).toEqual([
      ['catalog-read', 'monolith', null],
      ['catalog', 'monolith', 'catalog'],
      ['finance', 'monolith', 'finance'],
      ['catalog-v2', 'catalog-service', null],
      ['catalog-albums-v2', 'catalog-service', null],
    ]);
    expect(config.dataSets).toEqual({
      catalog: { owner: 'monolith' },
      finance: { owner: 'monolith' },
    });
    // Routes that reach a service match reads only: the monolith owns the data they would write.
    expect(config.routes.find((r) => r.name === 'catalog-v2')!.match.methods).toEqual([
      'GET',
      'HEAD',
    ]);
    expect(config.default.to).toBe('monolith');
    expect(config.contracts).toBe('../contracts/contracts.yaml');
    expect(Object.isFrozen(config.routes[0])).toBe(true);
  });

  it('accepts JSON as well as YAML and fills defaults', () => {
    const file = writeRoutesFile(
      routesDoc({ monolith: 'http://127.0.0.1:3000' }, [
        { name: 'a', match: { prefix: '/a' }, to: 'monolith' },
      ]),
      'routes.json',
    );
    const config = loadRoutesFile(file);
    expect(config.routes[0]).toMatchObject({ percent: 100, fallback: false });
    expect(config.upstreams.monolith.timeoutMs).toBe(30_000);
  });

  it('names the file when it cannot be read', () => {
    const error = errorOf(() => loadRoutesFile('/nonexistent/routes.yaml'));
    expect(error.code).toBe('ERR_ROUTES_FILE_UNREADABLE');
    expect(error.message).toContain('/nonexistent/routes.yaml');
  });

  it(`has a catalogue of at least 20 malformed files (${MALFORMED.length})`, () => {
    expect(MALFORMED.length).toBeGreaterThanOrEqual(20);
  });

  it.each(MALFORMED.map((c) => [c.label, c] as const))(
    'refuses %s with a message naming the problem',
    (_label, malformed) => {
      const error = errorOf(() => parseRoutesText(malformed.text, '/tmp/x/routes.yaml'));
      expect(error.message).toContain('routes.yaml');
      for (const pattern of malformed.expect) expect(error.message).toMatch(pattern);
    },
  );

  it('the README documents the precedence rule the code implements', () => {
    const readme = fs.readFileSync(path.resolve(__dirname, '..', 'README.md'), 'utf8');
    expect(readme).toMatch(/more literal segments/i);
  });
});
