import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { editYamlText } from '../../common/src/yaml-text';
import { writeOwnerChange, writeRouteChange } from '../src/routes-writer';

const SHIPPED = path.join(__dirname, '..', 'routes.yaml');

/** The lines of `after` that differ from `before` (same line count expected). */
function changedLines(before: string, after: string): string[] {
  const a = before.split('\n');
  const b = after.split('\n');
  expect(b).toHaveLength(a.length);
  return b.filter((line, i) => line !== a[i]);
}

describe('edits of the routes file keep how a person wrote it', () => {
  let file: string;
  let shipped: string;
  beforeEach(() => {
    file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'strangler-writer-')), 'routes.yaml');
    shipped = fs.readFileSync(SHIPPED, 'utf8');
    fs.writeFileSync(file, shipped);
  });
  afterEach(() => fs.rmSync(path.dirname(file), { recursive: true, force: true }));

  it('when a read route is flipped, then only its to and percent lines change', () => {
    writeRouteChange(file, 'catalog-read', { to: 'catalog-service', percent: 10 });
    const after = fs.readFileSync(file, 'utf8');
    expect(after.split('\n').length).toBe(shipped.split('\n').length + 1); // percent added
    expect(after).toContain('serves: [/catalog, /v2/catalog]');
    expect(after).toContain('match: { prefix: /catalog, methods: [GET, HEAD] }');
    expect(after).toContain('    percent: 10');
  });

  it('when the owner of a data set changes, then only the owner and its write routes change', () => {
    writeOwnerChange(file, 'catalog', 'catalog-service');
    const changed = changedLines(shipped, fs.readFileSync(file, 'utf8'));
    expect(changed).toEqual(['  catalog: { owner: catalog-service }', '    to: catalog-service']);
  });

  it('when a value would need quoting, then the file is still written correctly (rewritten)', () => {
    writeOwnerChange(file, 'catalog', 'catalog-service');
    const text = fs.readFileSync(file, 'utf8');
    expect(editYamlText(text, [{ path: ['default', 'to'], value: 'a b: c' }])).toContain(
      'to: "a b: c"',
    );
  });
});
