import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runCli } from '../../test/support/run-cli';

describe('the strangler CLI', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'strangler-cli-'));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('prints help on every level and exits 0', () => {
    for (const args of [['--help'], ['db', '--help'], ['db', 'seed', '--help']]) {
      const result = runCli(args);
      expect(result.status).toBe(0);
      expect(result.stdout).toMatch(/Usage: strangler/);
    }
    expect(runCli(['db', '--help']).stdout).toMatch(/migrate[\s\S]*seed[\s\S]*reset/);
  });

  it('when the command is unknown, then it exits 2 and names it', () => {
    const result = runCli(['frobnicate']);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/unknown command 'frobnicate'/);
  });

  it('when --scale is not a number, then it exits 2 with a fix', () => {
    const result = runCli([
      'db',
      'seed',
      '--scale',
      'lots',
      '--database-url',
      path.join(dir, 'bad.sqlite'),
    ]);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(
      /--scale must be a number above 0 and at most 1000 \(got "lots"\)/,
    );
  });

  it('when flip --percent is bad, then it exits 2 with a message, never a stack trace, and leaves the routes file alone', () => {
    const routes = path.join(dir, 'routes.yaml');
    fs.copyFileSync(path.join(__dirname, '..', '..', 'strangler-proxy', 'routes.yaml'), routes);
    const before = fs.readFileSync(routes, 'utf8');
    for (const percent of ['150', '-5', 'abc', '10.5']) {
      const result = runCli([
        'flip',
        'catalog',
        '--to',
        'catalog-service',
        '--percent',
        percent,
        '--routes',
        routes,
      ]);
      expect(result.status).toBe(2);
      expect(result.stderr).toContain(
        `--percent must be a whole number from 0 to 100 (got "${percent}")`,
      );
      expect(result.stderr).not.toMatch(/\bat .*\.ts:\d+/);
    }
    expect(fs.readFileSync(routes, 'utf8')).toBe(before);
  });

  it('when routes explain gets an unknown HTTP method or proxy start a bad port, then each is refused', () => {
    const explain = runCli(['routes', 'explain', 'FOO', '/x']);
    expect(explain.status).toBe(2);
    expect(explain.stderr).toMatch(/method "FOO" is not one of GET, HEAD, POST/);
    const port = runCli(['proxy', 'start', '--port', '99999']);
    expect(port.status).toBe(2);
    expect(port.stderr).toMatch(/--port must be a whole number from 0 to 65535 \(got "99999"\)/);
  });

  it('when start --scale is bad, then it is refused before any database is touched', () => {
    const result = runCli(['start', '--scale', 'abc']);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/--scale must be a number above 0 .*\(got "abc"\)/);
    expect(result.stderr).not.toMatch(/SeedError|\bat .*\.ts:\d+/);
  });

  it('when a database URL has an unsupported scheme, then it exits 2', () => {
    const result = runCli(['db', 'migrate', '--database-url', 'mysql://root@127.0.0.1/x']);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/unsupported scheme: use postgres:\/\//);
  });

  it('when an SQLite file is migrated and seeded, then a second seed is refused', () => {
    const file = path.join(dir, 'monolith.sqlite');
    const first = runCli(['db', 'seed', '--scale', '0.02', '--database-url', file]);
    expect(first.status).toBe(0);
    expect(first.stdout).toMatch(/seeded .*monolith\.sqlite: [\d,]+ rows/);
    expect(first.stdout).toMatch(/order_lines\s+\d+/);
    const second = runCli(['db', 'seed', '--scale', '0.02', '--database-url', file]);
    expect(second.status).toBe(2);
    expect(second.stderr).toMatch(/already has data: run `strangler db reset --yes` first/);
    const reset = runCli(['db', 'reset', '--scale', '0.02', '--yes', '--database-url', file]);
    expect(reset.status).toBe(0);
  });

  it('when the tables hold rows, then reset, seed --reset and rollback refuse without --yes and change nothing', () => {
    const file = path.join(dir, 'held.sqlite');
    expect(runCli(['db', 'seed', '--scale', '0.02', '--database-url', file]).status).toBe(0);
    const before = fs.readFileSync(file);
    const commands: Array<[string, string[]]> = [
      ['db reset', ['reset', '--scale', '0.02']],
      ['db seed --reset', ['seed', '--reset', '--scale', '0.02']],
      ['db rollback', ['rollback']],
    ];
    for (const [name, args] of commands) {
      const refused = runCli(['db', ...args, '--database-url', file]);
      expect(refused.status).toBe(2);
      expect(refused.stderr).toContain(`\`strangler ${name}\` drops every table of `);
      expect(refused.stderr).toMatch(
        /held\.sqlite, and \d+ of them hold [\d,]+ rows \(\w+ [\d,]+, \w+ [\d,]+, \w+ [\d,]+, …\)/,
      );
      expect(refused.stderr).toMatch(/nothing was changed\. To drop them, run it again with --yes/);
      expect(refused.stderr).not.toMatch(/\bat .*\.ts:\d+/);
    }
    expect(fs.readFileSync(file).equals(before)).toBe(true);
    const rolledBack = runCli(['db', 'rollback', '--yes', '--database-url', file]);
    expect(rolledBack.status).toBe(0);
    // Nothing left to lose: an empty database needs no --yes.
    expect(runCli(['db', 'reset', '--scale', '0.02', '--database-url', file]).status).toBe(0);
  });
});
