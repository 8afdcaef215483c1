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

  it('exits 2 on an unknown command and names it', () => {
    const result = runCli(['frobnicate']);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/unknown command 'frobnicate'/);
  });

  it('exits 2 with a fix when --scale is not a number', () => {
    const result = runCli([
      'db',
      'seed',
      '--scale',
      'lots',
      '--database-url',
      path.join(dir, 'bad.sqlite'),
    ]);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/--scale must be a positive number \(got "lots"\)/);
  });

  it('exits 2 on a database URL with an unsupported scheme', () => {
    const result = runCli(['db', 'migrate', '--database-url', 'mysql://root@127.0.0.1/x']);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/unsupported scheme: use postgres:\/\//);
  });

  it('migrates and seeds an SQLite file, then refuses to seed it twice', () => {
    const file = path.join(dir, 'monolith.sqlite');
    const first = runCli(['db', 'seed', '--scale', '0.02', '--database-url', file]);
    expect(first.status).toBe(0);
    expect(first.stdout).toMatch(/seeded .*monolith\.sqlite: [\d,]+ rows/);
    expect(first.stdout).toMatch(/order_lines\s+\d+/);
    const second = runCli(['db', 'seed', '--scale', '0.02', '--database-url', file]);
    expect(second.status).toBe(2);
    expect(second.stderr).toMatch(/already has data: run `strangler db reset` first/);
    const reset = runCli(['db', 'reset', '--scale', '0.02', '--database-url', file]);
    expect(reset.status).toBe(0);
  });
});
