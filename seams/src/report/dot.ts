import { describeImportKinds, type Reporter } from './reporter';

const quote = (text: string) => `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;

/** Graphviz: the context graph and the cross-context foreign keys (`dot -Tsvg` renders both). */
export const renderDot: Reporter = (report) => {
  const lines = ['digraph contexts {', '  rankdir=LR;', '  node [shape=box, style=rounded];'];
  for (const c of report.contexts)
    lines.push(`  ${quote(c.context)}${c.inCycle ? ' [color=red]' : ''};`);
  for (const e of report.contextGraph) {
    const label = describeImportKinds(e);
    lines.push(
      `  ${quote(e.from)} -> ${quote(e.to)} [label=${quote(label)}${e.runtime ? '' : ', style=dashed'}];`,
    );
  }
  lines.push('}', '', 'digraph foreign_keys {', '  rankdir=LR;', '  node [shape=box];');
  const owners = new Map(report.tables.map((t) => [t.table, t.owner]));
  const cross = report.foreignKeys.filter((k) => k.crossContext);
  const contexts = [...new Set(cross.flatMap((k) => [k.fromContext, k.toContext]))].filter(
    (c): c is string => Boolean(c),
  );
  for (const context of contexts) {
    const tables = [...new Set(cross.flatMap((k) => [k.table, k.refTable]))].filter(
      (t) => owners.get(t) === context,
    );
    lines.push(
      `  subgraph ${quote(`cluster_${context}`)} { label=${quote(context)}; ${tables.map(quote).join('; ')}; }`,
    );
  }
  for (const k of cross) {
    lines.push(
      `  ${quote(k.table)} -> ${quote(k.refTable)} [label=${quote(`${k.columns.join(',')} ${k.implied ? 'implied' : k.onDelete}`)}${k.implied ? ', style=dashed' : ''}];`,
    );
  }
  lines.push('}', '');
  return { output: lines.join('\n') };
};
