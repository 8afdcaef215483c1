import type { SeamsReport } from '../seams-report';
import { describeImportKinds, type Reporter } from './reporter';

const id = (name: string) => name.replace(/[^A-Za-z0-9_]/g, '_');

export function mermaidContextGraph(report: SeamsReport): string {
  const lines = ['flowchart LR'];
  for (const c of report.contexts)
    lines.push(`  ${id(c.context)}["${c.context}${c.inCycle ? ' ⟳' : ''}"]`);
  for (const e of report.contextGraph) {
    const label = describeImportKinds(e);
    lines.push(`  ${id(e.from)} ${e.runtime ? '-->' : '-.->'}|${label}| ${id(e.to)}`);
  }
  return lines.join('\n');
}

export function mermaidForeignKeys(report: SeamsReport): string {
  const lines = ['erDiagram'];
  for (const k of report.foreignKeys.filter((key) => key.crossContext)) {
    const label = `${k.columns.join(',')}${k.implied ? ' implied' : ` ${k.onDelete}`}`.replace(
      /"/g,
      "'",
    );
    lines.push(`  ${id(k.refTable)} ||--o{ ${id(k.table)} : "${label}"`);
  }
  for (const t of report.tables.filter(
    (table) =>
      table.owner &&
      report.foreignKeys.some(
        (k) => k.crossContext && (k.table === table.table || k.refTable === table.table),
      ),
  )) {
    lines.push(`  ${id(t.table)} {`, `    string context "${t.owner}"`, '  }');
  }
  return lines.join('\n');
}

/** Two Mermaid diagrams (context graph, cross-context foreign keys) in one Markdown file. */
export const renderMermaid: Reporter = (report) => ({
  output: [
    '## Context graph',
    '',
    '```mermaid',
    mermaidContextGraph(report),
    '```',
    '',
    '## Cross-context foreign keys',
    '',
    '```mermaid',
    mermaidForeignKeys(report),
    '```',
    '',
  ].join('\n'),
});
