import type { Difference } from '../difference';
import type { SampledResponse } from '../sample-body';
import type { Replay, ReplayResult } from './replay';

export interface ParityExample {
  line: number;
  method: string;
  path: string;
  route?: string;
  correlationId?: string;
  outcome: 'differ' | 'error';
  error?: string;
  differences: Difference[];
  a?: SampledResponse;
  b?: SampledResponse;
}

/** The `--report` file: totals, differing fields, learned noise, and every request that did not match. */
export interface ParityReport {
  a: string;
  b: string;
  requests: number;
  matched: number;
  differed: number;
  errors: number;
  /** Writes not replayed (no --include-writes). */
  skipped: number;
  fields: Array<{ field: string; count: number }>;
  learnedNoise: Record<string, string[]>;
  mismatches: ParityExample[];
}

export function buildParityReport(replay: Replay, a: string, b: string): ParityReport {
  const counts = new Map<string, number>();
  for (const result of replay.results) {
    for (const field of new Set(result.differences.map((d) => d.field)))
      counts.set(field, (counts.get(field) ?? 0) + 1);
  }
  const count = (outcome: ReplayResult['outcome']) =>
    replay.results.filter((r) => r.outcome === outcome).length;
  return {
    a,
    b,
    requests: replay.results.length,
    matched: count('match'),
    differed: count('differ'),
    errors: count('error'),
    skipped: count('skipped'),
    fields: [...counts]
      .map(([field, n]) => ({ field, count: n }))
      .sort((x, y) => y.count - x.count || x.field.localeCompare(y.field)),
    learnedNoise: replay.learnedNoise,
    mismatches: replay.results
      .filter((r) => r.outcome === 'differ' || r.outcome === 'error')
      .map(toExample),
  };
}

function toExample(result: ReplayResult): ParityExample {
  const { line, method, path, route, correlationId } = result.request;
  return {
    line,
    method,
    path,
    route,
    correlationId,
    outcome: result.outcome as ParityExample['outcome'],
    error: result.error,
    differences: result.differences,
    a: result.a,
    b: result.b,
  };
}

/** The terminal summary: totals, differences by field, then the first `examples` mismatches. */
export function formatParitySummary(report: ParityReport, examples: number): string {
  const compared = report.requests - report.skipped;
  const percent = (n: number) => (compared === 0 ? '0' : ((100 * n) / compared).toFixed(1));
  const lines = [
    `parity: ${report.requests} requests replayed against a=${report.a} and b=${report.b}`,
    `  matched   ${report.matched} (${percent(report.matched)}%)`,
    `  differed  ${report.differed}`,
    `  errors    ${report.errors}`,
  ];
  if (report.skipped > 0)
    lines.push(
      `  skipped   ${report.skipped} writes (POST, PUT, PATCH, DELETE are replayed only with --include-writes, against sandboxes)`,
    );
  for (const [group, fields] of Object.entries(report.learnedNoise))
    lines.push(`  noise learned for ${group}: ${fields.join(', ')}`);
  if (report.fields.length > 0) {
    lines.push('differences by field (requests):');
    for (const { field, count } of report.fields.slice(0, 20))
      lines.push(`  ${String(count).padStart(6)}  ${field}`);
    if (report.fields.length > 20)
      lines.push(`  … ${report.fields.length - 20} more fields (see --report)`);
  }
  const shown = report.mismatches.slice(0, examples);
  if (shown.length > 0)
    lines.push(`first ${shown.length} of ${report.mismatches.length} mismatches:`);
  for (const example of shown) {
    const id = example.correlationId ? ` [${example.correlationId}]` : '';
    lines.push(`  line ${example.line}: ${example.method} ${example.path}${id}`);
    if (example.error) lines.push(`    error: ${example.error}`);
    for (const d of example.differences.slice(0, 5))
      lines.push(`    ${d.path}  ${d.kind}  a=${show(d.a)}  b=${show(d.b)}`);
    if (example.differences.length > 5) lines.push(`    … ${example.differences.length - 5} more`);
  }
  lines.push(
    report.mismatches.length === 0
      ? 'all answers match'
      : `${report.mismatches.length} of ${report.requests} requests do not match`,
  );
  return `${lines.join('\n')}\n`;
}

function show(value: unknown): string {
  if (value === undefined) return '(absent)';
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
