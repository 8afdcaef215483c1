import type { ExtractionPlan } from '../analyse/plan-extraction';

const MAX_EVIDENCE = 8;

const where = (file?: string, line?: number) => (file ? ` (${file}${line ? `:${line}` : ''})` : '');

/** The extraction plan of one context for the terminal. */
export function renderPlanText(plan: ExtractionPlan): string {
  const lines = [
    `Extraction plan for ${plan.context}${plan.rank ? ` (rank ${plan.rank}, score ${plan.score})` : ''}: ${plan.files} files, owns ${plan.ownedTables.length} table(s)${plan.ownedTables.length ? `: ${plan.ownedTables.join(', ')}` : ''}`,
    '',
  ];
  if (plan.items.length === 0)
    lines.push('Nothing to cut: no import, table, key or transaction crosses its boundary.');
  plan.items.forEach((item, index) => {
    lines.push(`${index + 1}. [${item.kind}] ${item.title}`);
    lines.push(`   pattern: ${item.pattern} — ${item.how}`);
    for (const e of item.evidence.slice(0, MAX_EVIDENCE))
      lines.push(`   - ${e.detail}${where(e.file, e.line)}`);
    if (item.evidence.length > MAX_EVIDENCE)
      lines.push(`   … ${item.evidence.length - MAX_EVIDENCE} more (--format md or json)`);
  });
  return `${lines.join('\n')}\n`;
}

/** The extraction plan as a Markdown checklist, for an issue or a pull request. */
export function renderPlanMarkdown(plan: ExtractionPlan): string {
  const out = [
    `# Extraction plan: ${plan.context}`,
    '',
    `${plan.files} files; owns ${plan.ownedTables.length ? plan.ownedTables.map((t) => `\`${t}\``).join(', ') : 'no table'}${plan.rank ? `; rank ${plan.rank} (score ${plan.score})` : ''}.`,
    '',
  ];
  if (plan.items.length === 0) out.push('Nothing to cut.', '');
  for (const item of plan.items) {
    out.push(`- [ ] **${item.kind}**: ${item.title}`, `  - *${item.pattern}*: ${item.how}`);
    for (const e of item.evidence)
      out.push(`  - ${e.detail}${e.file ? ` \`${e.file}${e.line ? `:${e.line}` : ''}\`` : ''}`);
  }
  out.push('');
  return out.join('\n');
}

export function renderPlan(plan: ExtractionPlan, format: string): string {
  if (format === 'json') return `${JSON.stringify(plan, null, 2)}\n`;
  if (format === 'md') return renderPlanMarkdown(plan);
  return renderPlanText(plan);
}
