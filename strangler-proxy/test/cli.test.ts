import fs from 'node:fs';
import path from 'node:path';
import { createProgram } from '../../common/src/cli';
import { registerProxyCommands } from '../src/cli';
import { writeRoutesFile } from './support/routes';

const SHIPPED = path.resolve(__dirname, '..', 'routes.yaml');

async function run(...args: string[]): Promise<{ out: string; err: string; code: number }> {
  const program = createProgram('strangler', 'test');
  program.exitOverride();
  registerProxyCommands(program);
  let out = '';
  let err = '';
  const stdout = jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    out += String(chunk);
    return true;
  });
  const stderr = jest.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
    err += String(chunk);
    return true;
  });
  process.exitCode = 0;
  try {
    await program.parseAsync(['node', 'strangler', ...args]);
  } finally {
    stdout.mockRestore();
    stderr.mockRestore();
  }
  const code = Number(process.exitCode ?? 0);
  process.exitCode = 0;
  return { out, err, code };
}

function copyOfShipped(): string {
  const file = writeRoutesFile({});
  fs.copyFileSync(SHIPPED, file);
  return file;
}

describe('strangler routes / flip', () => {
  it('routes list shows routes in precedence order with their targets', async () => {
    const { out, code } = await run('routes', 'list', '--routes', SHIPPED);
    expect(code).toBe(0);
    expect(
      out
        .split('\n')
        .slice(1, 7)
        .map((l) => l.split(/\s+/)[0]),
    ).toEqual(['catalog-albums-v2', 'catalog-v2', 'catalog-read', 'catalog', 'finance', 'default']);
  });

  it('routes validate exits 0 for the shipped file and 2 with the problem for a broken one', async () => {
    expect((await run('routes', 'validate', '--routes', SHIPPED)).code).toBe(0);
    const broken = writeRoutesFile({
      version: 1,
      upstreams: { monolith: { url: 'http://127.0.0.1:3000' } },
      default: { to: 'monolit' },
    });
    const result = await run('routes', 'validate', '--routes', broken);
    expect(result.code).toBe(2);
    expect(result.err).toMatch(/default route: field "to": upstream "monolit" is not defined/);
  });

  it('routes explain says where a request goes and which rule decided', async () => {
    const { out } = await run(
      'routes',
      'explain',
      'GET',
      '/catalog/../finance/ledger',
      '--routes',
      SHIPPED,
    );
    expect(out).toContain('GET /finance/ledger → monolith (http://127.0.0.1:3000)');
    expect(out).toContain('because: route "finance" (prefix /finance)');
  });

  it('flip moves a route (with a canary percent) in the file, keeping its comments', async () => {
    const file = copyOfShipped();
    const { out, code } = await run(
      'flip',
      'catalog-read',
      '--to',
      'catalog-service',
      '--percent',
      '10',
      '--routes',
      file,
    );
    expect(code).toBe(0);
    expect(out).toContain('catalog-read: monolith 100% → catalog-service 10%');
    const text = fs.readFileSync(file, 'utf8');
    expect(text).toContain('# Flip later with');
    const explained = await run(
      'routes',
      'explain',
      'GET',
      '/catalog/albums',
      '-H',
      'x-customer-id:42',
      '--routes',
      file,
    );
    expect(explained.out).toMatch(/canary 10% to catalog-service by sticky header x-customer-id/);
    expect((await run('flip', 'catalog-read', '--to', 'monolith', '--routes', file)).code).toBe(0);
    expect((await run('routes', 'explain', 'GET', '/catalog', '--routes', file)).out).toContain(
      '→ monolith',
    );
  });

  it('flip refuses an unknown upstream (exit 2) and leaves the file untouched', async () => {
    const file = copyOfShipped();
    const before = fs.readFileSync(file, 'utf8');
    const result = await run('flip', 'catalog', '--to', 'catalogue-service', '--routes', file);
    expect(result.code).toBe(2);
    expect(result.err).toMatch(
      /route "catalog": field "to": upstream "catalogue-service" is not defined/,
    );
    expect(fs.readFileSync(file, 'utf8')).toBe(before);
  });
});
