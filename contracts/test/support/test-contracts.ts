import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseDocument } from 'yaml';
import { DEFAULT_CONTRACTS_FILE } from '../../src/config';

export const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');

export interface TestContracts {
  /** A contracts.yaml in a scratch folder: the repository's, with `edit` applied. */
  file: string;
  /** An empty registry folder of its own. */
  registry: string;
  dir: string;
  cleanup(): void;
}

/** The repository's contracts.yaml, copied to a scratch folder with its root pointing back here. */
export function testContracts(
  edit: (doc: ReturnType<typeof parseDocument>) => void = () => {},
): TestContracts {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'contracts-test-'));
  const doc = parseDocument(fs.readFileSync(DEFAULT_CONTRACTS_FILE, 'utf8'));
  doc.set('root', REPO_ROOT);
  const registry = path.join(dir, 'registry');
  doc.set('registryFolder', path.relative(REPO_ROOT, registry));
  edit(doc);
  const file = path.join(dir, 'contracts.yaml');
  fs.writeFileSync(file, doc.toString());
  return { file, registry, dir, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/** Serves `provider` through the altering relay of test/fixtures/altered-provider.ts. */
export function alterProvider(provider: string, by: 'unknown-field' | 'price-as-object') {
  return (doc: ReturnType<typeof parseDocument>) => {
    const real = doc.getIn(['participants', provider, 'provider']) as string;
    process.env.ALTERED_PROVIDER = path.join(REPO_ROOT, real);
    process.env.ALTERED_BY = by;
    doc.setIn(
      ['participants', provider, 'provider'],
      path.relative(REPO_ROOT, path.join(__dirname, '..', 'fixtures', 'altered-provider.ts')),
    );
  };
}
