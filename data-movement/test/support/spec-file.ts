import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseDocument } from 'yaml';
import { DEFAULT_SPEC_FILE, type Spec, loadSpec } from '../../src/spec/load-spec';

/**
 * A copy of MusicCorp's data-movement.yaml in a temporary folder (a handover
 * writes the owner into it), its migrations folders made absolute, and its
 * `routes:` pointing at the given routes file (or removed).
 */
export function copyExampleSpec(options: { routesFile?: string; retentionHours?: number } = {}): {
  file: string;
  spec: Spec;
  cleanup(): void;
} {
  const doc = parseDocument(fs.readFileSync(DEFAULT_SPEC_FILE, 'utf8'));
  const root = path.dirname(DEFAULT_SPEC_FILE);
  for (const set of ['catalog', 'finance'])
    for (const side of ['source', 'target']) {
      const migrations = doc.getIn(['dataSets', set, side, 'migrations']);
      if (typeof migrations === 'string')
        doc.setIn(['dataSets', set, side, 'migrations'], path.join(root, migrations));
    }
  if (options.routesFile) doc.set('routes', options.routesFile);
  else doc.delete('routes');
  if (options.retentionHours !== undefined)
    doc.setIn(['changes', 'retentionHours'], options.retentionHours);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'strangler-spec-'));
  const file = path.join(dir, 'data-movement.yaml');
  fs.writeFileSync(file, doc.toString());
  return {
    file,
    spec: loadSpec(file),
    cleanup: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}
