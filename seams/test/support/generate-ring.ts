import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * A codebase of `contexts` feature folders that all import the next one (one
 * big cycle), with a few heavier chords, each folder writing a table of its own
 * and reading the next one's: the shape of a large monolith's 50 feature folders.
 */
export function generateRing(contexts: number): { dir: string; cleanup(): void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'seams-ring-'));
  const name = (i: number) => `feature${String(i % contexts).padStart(2, '0')}`;
  for (let i = 0; i < contexts; i += 1) {
    const folder = path.join(dir, name(i));
    fs.mkdirSync(folder, { recursive: true });
    const chord = i % 7 === 0 ? name(i + 3) : undefined;
    fs.writeFileSync(
      path.join(folder, 'index.ts'),
      [
        "import type { Knex } from 'knex';",
        `import { run${(i + 1) % contexts} } from '../${name(i + 1)}';`,
        ...(chord
          ? [
              `import { run${(i + 3) % contexts} as chordA } from '../${name(i + 3)}';`,
              `import { run${(i + 3) % contexts} as chordB } from '../${name(i + 3)}/index';`,
            ]
          : []),
        '',
        `export async function run${i}(db: Knex, depth: number): Promise<void> {`,
        `  await db('${name(i)}_items').insert({ depth });`,
        `  await db('${name(i + 1)}_items').where({ depth }).first();`,
        `  if (depth > 0) await run${(i + 1) % contexts}(db, depth - 1);`,
        ...(chord ? ['  await chordA(db, 0);', '  await chordB(db, 0);'] : []),
        '}',
        '',
      ].join('\n'),
    );
  }
  return { dir, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}
