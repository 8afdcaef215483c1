import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadContractsConfig } from '../../src/config';
import { sourceFingerprint } from '../../src/fingerprint';
import { readPact } from '../../src/pact-file';
import { recordResults } from '../../src/registry';

export interface ScratchContracts {
  dir: string;
  file: string;
  /** Records a verification of the provider's current source: passing, or failing one interaction. */
  record(outcome: 'pass' | 'fail'): void;
  /** Edits the provider's source: its old results no longer count. */
  editProvider(): void;
  /** Writes the provider module (albums/provider.ts) that `contracts verify` starts. */
  writeProvider(code: string): void;
  /** Writes a file of the world (e.g. a broken pact). */
  write(relative: string, text: string): void;
  cleanup(): void;
}

const PACT = {
  consumer: { name: 'web' },
  provider: { name: 'albums' },
  interactions: [
    {
      description: 'a request for an album',
      providerStates: [{ name: 'an album exists' }],
      request: { method: 'GET', path: '/albums/1' },
      response: { status: 200, body: { content: { id: 1 } } },
      type: 'Synchronous/HTTP',
    },
  ],
  metadata: { pactSpecification: { version: '4.0' } },
};

/**
 * A small world of its own: consumer "web" holds a pact with provider "albums" (proxy upstream
 * "albums-service"), and the tests decide what the registry says, without running a verifier.
 */
export function scratchContracts(): ScratchContracts {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'contracts-scratch-'));
  const write = (relative: string, text: string) => {
    fs.mkdirSync(path.dirname(path.join(dir, relative)), { recursive: true });
    fs.writeFileSync(path.join(dir, relative), text);
  };
  write(
    'contracts.yaml',
    [
      'version: 1',
      'root: .',
      'pactFolder: pacts',
      'registryFolder: registry',
      'participants:',
      '  web: { source: [web] }',
      '  albums: { source: [albums], provider: albums/provider.ts, upstreams: [albums-service] }',
      'pacts:',
      '  - { consumer: web, provider: albums }',
      '',
    ].join('\n'),
  );
  write('pacts/web-albums.json', JSON.stringify(PACT, null, 2));
  write('web/index.ts', 'export const web = 1;\n');
  write('albums/index.ts', 'export const albums = 1;\n');
  const file = path.join(dir, 'contracts.yaml');
  let edits = 0;
  return {
    dir,
    file,
    record(outcome) {
      const config = loadContractsConfig(file);
      const pact = readPact(config.pacts[0]);
      const ok = outcome === 'pass';
      recordResults(config.registryFolder, 'albums', [
        {
          consumer: 'web',
          pact: pact.digest,
          source: sourceFingerprint(config, config.participants.get('albums')!),
          providerVersion: '2.0.0',
          verifiedAt: new Date(0).toISOString(),
          ok,
          interactions: [
            {
              interaction: 'given an album exists: a request for an album',
              ok,
              problems: ok ? [] : ['$.id: Expected "1" (String) to be an integer'],
            },
          ],
        },
      ]);
    },
    editProvider() {
      write('albums/index.ts', `export const albums = ${++edits + 1};\n`);
    },
    writeProvider: (code) => write('albums/provider.ts', code),
    write,
    cleanup: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}
