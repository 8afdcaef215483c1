import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { analyseSeams } from '../../src/analyse-seams';
import type { SeamsOptionsInput } from '../../src/options';
import type { SeamsReport } from '../../src/seams-report';

export const FIXTURES = path.join(__dirname, '..', 'fixtures');

/** Analyses one fixture folder without touching the on-disk cache. */
export function analyseFixture(
  name: string,
  options: Partial<SeamsOptionsInput> = {},
): Promise<SeamsReport> {
  return analyseSeams({ root: path.join(FIXTURES, name), cache: false, ...options });
}

/** A throwaway copy of a fixture, for tests that edit files. */
export function copyFixture(name: string): { dir: string; cleanup(): void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `seams-${name}-`));
  fs.cpSync(path.join(FIXTURES, name), dir, { recursive: true });
  return { dir, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

export function findingsOf(report: SeamsReport, kind: string) {
  return report.findings.filter((f) => f.kind === kind);
}
