import fs from 'node:fs';
import path from 'node:path';
import { SeamsError } from '../errors';
import type { RuleViolation } from './check-rules';
import type { Finding } from './findings-model';

export const BASELINE_VERSION = 1;

export interface BaselineResult {
  file: string;
  known: number;
  /** Findings reduced to the evidence that is not in the baseline. */
  newFindings: Finding[];
  /** Rule violations recorded in the baseline: known, so they do not fail the run. */
  knownViolations: number;
}

/** The keys a baseline records: finding evidence and rule violations. */
export interface Baseline {
  edges: Set<string>;
  violations: Set<string>;
}

export function readBaseline(file: string): Baseline {
  let parsed: { version?: number; edges?: unknown; violations?: unknown };
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
  const violations = Array.isArray(parsed.violations) ? parsed.violations.map(String) : [];
  return { edges: new Set(parsed.edges.map(String)), violations: new Set(violations) };
}

/**
 * Records every known cross-context edge (evidence key) of the current findings
 * and every current rule violation, so a rule can be adopted on a codebase that
 * breaks it today: the known violations pass, a new one fails.
 */
export function writeBaseline(
  file: string,
  findings: readonly Finding[],
  violations: readonly RuleViolation[],
): number {
  const edges = [...new Set(findings.flatMap((f) => f.evidence.map((e) => e.key)))].sort();
  const keys = [...new Set(violations.map((v) => v.key))].sort();
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(
    file,
    `${JSON.stringify({ version: BASELINE_VERSION, tool: 'strangler seams', edges, violations: keys }, null, 2)}\n`,
  );
  return edges.length + keys.length;
}

export function compareWithBaseline(
  file: string,
  known: Baseline,
  findings: readonly Finding[],
  violations: readonly RuleViolation[],
): BaselineResult {
  const newFindings = findings
    .map((f) => ({ ...f, evidence: f.evidence.filter((e) => !known.edges.has(e.key)) }))
    .filter((f) => f.evidence.length > 0);
  return {
    file,
    known: known.edges.size + known.violations.size,
    newFindings,
    knownViolations: violations.filter((v) => known.violations.has(v.key)).length,
  };
}
