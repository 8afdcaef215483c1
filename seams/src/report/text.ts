import path from 'node:path';
import { countBy, describeTerms, type Reporter } from './reporter';

const MAX_FINDINGS = 12;
const MAX_RANKED = 20;
const MAX_CUTS = 6;

function location(file?: string, line?: number): string {
  return file ? `${file}${line ? `:${line}` : ''}` : '';
}

/** A summary that fits one screen: ranking, findings by kind, the gate's verdict. */
export const renderText: Reporter = (report) => {
  const s = report.summary;
  const lines: string[] = [];
  const root = path.relative(process.cwd(), report.root) || '.';
  lines.push(
    `strangler seams: ${root} — ${s.files} files (${s.reused} from cache), ${s.contexts} contexts, ${s.tables} tables, ${(s.durationMs / 1000).toFixed(1)} s`,
  );
  if (report.schema)
    lines.push(
      `schema: ${report.schema.engine} ${report.schema.source}, ${report.schema.tables.length} tables, ${report.foreignKeys.length} foreign keys (${report.foreignKeys.filter((k) => k.implied).length} implied)`,
    );
  lines.push('', 'Extraction order (least depended on first; score = Σ metric × weight):');
  const width = Math.min(28, Math.max(16, ...report.ranking.map((r) => r.context.length)));
  for (const entry of report.ranking.slice(0, MAX_RANKED)) {
    lines.push(
      `  ${String(entry.rank).padStart(2)}. ${entry.context.padEnd(width)} ${String(entry.score).padStart(4)}  ${describeTerms(entry)}`,
    );
  }
  if (report.ranking.length > MAX_RANKED)
    lines.push(
      `  … ${report.ranking.length - MAX_RANKED} more in --format md, json or html; 'seams plan <context>' for one`,
    );
  for (const group of report.cycleBreaks) {
    lines.push(
      '',
      `Cycle of ${group.contexts.length} contexts: cutting ${group.cuts.length} dependenc${group.cuts.length === 1 ? 'y' : 'ies'} (weight ${group.cutWeight} of ${group.totalWeight}) breaks it:`,
    );
    for (const cut of group.cuts.slice(0, MAX_CUTS))
      lines.push(
        `  ✂ ${cut.from} → ${cut.to}: ${cut.imports} import(s), ${cut.calls} call(s)${cut.evidence[0] ? `, e.g. ${location(cut.evidence[0].file, cut.evidence[0].line)}` : ''}`,
      );
    if (group.cuts.length > MAX_CUTS) lines.push(`  … ${group.cuts.length - MAX_CUTS} more`);
  }
  const byKind = countBy(report.findings, (f) => f.kind)
    .map(([kind, n]) => `${n} ${kind}`)
    .join(', ');
  lines.push('', `Seams (${report.findings.length}${byKind ? `: ${byKind}` : ''}):`);
  for (const finding of report.findings.slice(0, MAX_FINDINGS)) {
    lines.push(`  [${finding.kind}] ${finding.title}`);
    lines.push(`      → ${finding.nextStep}`);
  }
  if (report.findings.length > MAX_FINDINGS)
    lines.push(
      `  … ${report.findings.length - MAX_FINDINGS} more with their evidence in --format json, md or html`,
    );
  if (report.ruleViolations.length > 0) {
    lines.push('', `Rule violations (${report.ruleViolations.length}):`);
    for (const v of report.ruleViolations.slice(0, 20))
      lines.push(
        `  ✗ ${v.rule}: ${location(v.file, v.line)} imports '${v.specifier}' (${v.from} → ${v.to})`,
      );
  }
  if (report.baseline) {
    const b = report.baseline;
    if (b.updated)
      lines.push(
        '',
        `Baseline written: ${b.file} (${b.known} known cross-context edges and rule violations)`,
      );
    else {
      const count = b.newFindings.reduce((n, f) => n + f.evidence.length, 0);
      lines.push(
        '',
        `Baseline ${b.file}: ${count === 0 ? 'no new cross-context edges' : `${count} new cross-context edge(s)`}${b.knownViolations > 0 ? `; ${b.knownViolations} known rule violation(s) recorded there, not shown` : ''}`,
      );
      const added = b.newFindings.flatMap((f) =>
        f.evidence.map((e) => `  + [${f.kind}] ${e.detail} ${location(e.file, e.line)}`),
      );
      lines.push(...added.slice(0, MAX_FINDINGS));
      if (added.length > MAX_FINDINGS)
        lines.push(`  … ${added.length - MAX_FINDINGS} more in --format json, md or html`);
    }
  }
  const unresolved = countBy(report.confidence, (c) => c.kind)
    .map(([kind, n]) => `${n} ${kind}`)
    .join(', ');
  if (unresolved)
    lines.push('', `Confidence: ${unresolved} (listed with locations in the json/md/html reports)`);
  if (report.schemaspy)
    lines.push(
      report.schemaspy.ran
        ? `SchemaSpy: ${report.schemaspy.output}`
        : `SchemaSpy not run: ${report.schemaspy.reason}`,
    );
  return { output: `${lines.join('\n')}\n` };
};
