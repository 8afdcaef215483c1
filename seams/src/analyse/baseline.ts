import fs from 'node:fs';
import path from 'node:path';
import { SeamsError } from '../errors';
import type { Finding } from './findings-model';

export const BASELINE_VERSION = 1;

export interface BaselineResult {
  file: string;
  known: number;
  /** Findings reduced to the evidence that is not in the baseline. */
  newFindings: Finding[];
}

export function readBaseline(file: string): Set<string> {
  let parsed: { version?: number; edges?: unknown };
  try {
    parsed = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    const reason =
      (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'file not found' : 'not valid JSON';
    throw new SeamsError(
      'ERR_SEAMS_BASELINE',
      `--baseline ${file}: ${reason}; create it with --baseline ${file} --update-baseline`,
    );
  }
  if (parsed.version !== BASELINE_VERSION || !Array.isArray(parsed.edges)) {
    throw new SeamsError(
      'ERR_SEAMS_BASELINE',
      `--baseline ${file}: expected {"version": ${BASELINE_VERSION}, "edges": [...]}; regenerate it with --update-baseline`,
    );
  }
  return new Set(parsed.edges.map(String));
}

/** Records every known cross-context edge (evidence key) of the current findings. */
export function writeBaseline(file: string, findings: readonly Finding[]): number {
  const edges = [...new Set(findings.flatMap((f) => f.evidence.map((e) => e.key)))].sort();
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(
    file,
    `${JSON.stringify({ version: BASELINE_VERSION, tool: 'strangler seams', edges }, null, 2)}\n`,
  );
  return edges.length;
}

export function compareWithBaseline(
  file: string,
  known: Set<string>,
  findings: readonly Finding[],
): BaselineResult {
  const newFindings = findings
    .map((f) => ({ ...f, evidence: f.evidence.filter((e) => !known.has(e.key)) }))
    .filter((f) => f.evidence.length > 0);
  return { file, known: known.size, newFindings };
}
