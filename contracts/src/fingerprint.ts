import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { ContractsConfig, Participant } from './config';

const SOURCE_FILE = /\.(ts|js|mjs|cjs|json|ya?ml|sql)$/;

function listFiles(entry: string, into: string[]): void {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(entry);
  } catch {
    return; // a source path that does not exist yet contributes nothing (and changes the digest once it does)
  }
  if (stat.isFile()) {
    if (SOURCE_FILE.test(entry)) into.push(entry);
    return;
  }
  for (const child of fs.readdirSync(entry)) {
    if (child === 'node_modules' || child.startsWith('.')) continue;
    listFiles(path.join(entry, child), into);
  }
}

/**
 * A participant's version as far as contracts are concerned: sha256 over the path and contents
 * of every source file it lists. Any edit (even a comment) is a new version that needs verifying,
 * on purpose: a team that has been burnt does not guess which edits are harmless.
 *
 * @example sourceFingerprint(config, config.participants.get('catalog-service')!) // 'sha256:3f…'
 */
export function sourceFingerprint(config: ContractsConfig, participant: Participant): string {
  const files: string[] = [];
  for (const entry of participant.source) listFiles(entry, files);
  const hash = createHash('sha256');
  for (const file of [...new Set(files)].sort()) {
    hash.update(path.relative(config.root, file).split(path.sep).join('/'));
    hash.update('\0');
    hash.update(fs.readFileSync(file));
    hash.update('\0');
  }
  return `sha256:${hash.digest('hex')}`;
}

/** The first 12 hex digits: enough to tell versions apart in messages. */
export function shortDigest(digest: string): string {
  return digest.replace(/^sha256:/, '').slice(0, 12);
}
