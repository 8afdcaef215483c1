import type { SeamsReport } from '../seams-report';
import { describeTerms, type Reporter } from './reporter';

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

function ownershipRows(report: SeamsReport): string[] {
  const contexts = report.contexts.map((c) => c.context);
  const rows = [
    `| table | owner | ${contexts.join(' | ')} | class |`,
    `|---|---|${contexts.map(() => '---').join('|')}|---|`,
  ];
  for (const t of report.tables) {
    const marks = contexts.map((c) => {
      const u = t.usage[c];
      if (!u) return '';
      return `${u.writes ? 'W' : ''}${u.reads ? 'R' : ''}`;
    });
    rows.push(
      `| ${t.table} | ${t.owner ?? '—'}${t.basis && t.basis !== 'writes' ? ` (${t.basis})` : ''} | ${marks.join(' | ')} | ${t.sharedWritten ? 'shared-written' : t.readClass} |`,
    );
  }
  return rows;
}

/** A Markdown report for pull requests and wikis. */
export const renderMarkdown: Reporter = (report) => {
  const s = report.summary;
  const out: string[] = [
    '# Seam analysis',
    '',
    `${s.files} files, ${s.contexts} contexts, ${s.tables} tables, ${s.crossContextImports} cross-context imports, ${s.findings} seams.`,
    '',
    '## Extraction order',
    '',
    '| rank | context | score | terms (value × weight) |',
    '|---|---|---|---|',
    ...report.ranking.map(
      (r) => `| ${r.rank} | ${r.context} | ${r.score} | ${cell(describeTerms(r))} |`,
    ),
    '',
    '## Contexts',
    '',
    '| context | files | Ca | Ce | I | type-only in/out | dynamic in/out | interface files | foreign tables read | FKs in/out | cross tx | cycle |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|',
    ...report.contexts.map(
      (c) =>
        `| ${c.context} | ${c.files} | ${c.afferent} | ${c.efferent} | ${c.instability} | ${c.afferentTypeOnly}/${c.efferentTypeOnly} | ${c.afferentDynamic}/${c.efferentDynamic} | ${c.interfaceSurface.length} | ${cell(c.foreignTablesRead.join(', '))} | ${c.fksIn}/${c.fksOut} | ${c.crossContextTransactions} | ${c.inCycle ? 'yes' : ''} |`,
    ),
    '',
    '## Seams',
    '',
  ];
  for (const f of report.findings) {
    out.push(
      `### ${f.kind}: ${cell(f.from)} → ${cell(f.to)}`,
      '',
      f.title,
      '',
      `**Next step:** ${f.nextStep}`,
      '',
    );
    for (const e of f.evidence)
      out.push(`- ${e.detail}${e.file ? ` (\`${e.file}${e.line ? `:${e.line}` : ''}\`)` : ''}`);
    out.push('');
  }
  out.push('## Table ownership', '', 'W = writes, R = reads.', '', ...ownershipRows(report), '');
  const cross = report.foreignKeys.filter((k) => k.crossContext);
  if (cross.length > 0) {
    out.push(
      '## Cross-context foreign keys',
      '',
      '| from | to | key | ON DELETE |',
      '|---|---|---|---|',
    );
    for (const k of cross)
      out.push(
        `| ${k.fromContext} | ${k.toContext} | ${k.table}.${k.columns.join(',')} → ${k.refTable}.${k.refColumns.join(',')}${k.implied ? ' (implied)' : ''} | ${k.onDelete} |`,
      );
    out.push('');
  }
  if (report.ruleViolations.length > 0) {
    out.push('## Rule violations', '');
    for (const v of report.ruleViolations)
      out.push(
        `- **${v.rule}**: \`${v.file}:${v.line}\` imports \`${v.specifier}\` (${v.from} → ${v.to})`,
      );
    out.push('');
  }
  if (report.confidence.length > 0) {
    out.push('## Confidence: what could not be resolved', '');
    for (const c of report.confidence)
      out.push(`- ${c.kind}: \`${c.file}:${c.line}\` ${cell(c.detail)}`);
    out.push('');
  }
  return { output: out.join('\n') };
};
