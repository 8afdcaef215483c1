import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { SeamsReport } from '../seams-report';
import { MATRIX_STYLE, htmlMatrix } from './html-matrix';
import { escapeHtml as e, svgContextGraph, svgForeignKeys, svgNeighbourhood } from './html-svg';
import { countBy, describeTerms, type Reporter } from './reporter';

/** Above this many contexts one graph of all of them is unreadable: each gets its neighbourhood. */
export const FULL_GRAPH_LIMIT = 20;

const STYLE = `body{font:14px/1.45 system-ui,sans-serif;margin:24px;color:#222;max-width:1400px}
table{border-collapse:collapse;margin:8px 0 20px}td,th{border:1px solid #ccc;padding:3px 8px;text-align:left;vertical-align:top}
th{background:#f3f3f3}.W{background:#ffcdd2}.R{background:#e3f2fd}.WR{background:#ffe0b2}code{font-size:12px}
details{margin:6px 0}summary{cursor:pointer}.kind{display:inline-block;min-width:14em;font-weight:600}
.next{color:#2e7d32}.muted{color:#666}svg{max-width:100%;height:auto;border:1px solid #eee;background:#fcfcfc}
.ego{display:none}.ego:target{display:block}.picker a{display:inline-block;margin:2px 6px 2px 0}
${MATRIX_STYLE}`;

function fileLink(report: SeamsReport, file?: string, line?: number): string {
  if (!file) return '';
  const href = pathToFileURL(path.join(report.root, file)).href;
  return ` <a href="${e(href)}"><code>${e(file)}${line ? `:${line}` : ''}</code></a>`;
}

const anchor = (context: string) => `ctx-${context.replace(/[^A-Za-z0-9_-]/g, '_')}`;

function ownershipMatrix(report: SeamsReport): string {
  if (report.contexts.length > FULL_GRAPH_LIMIT) {
    const rows = report.tables.map(
      (t) =>
        `<tr><td>${e(t.table)}${t.view ? ' <span class="muted">(view)</span>' : ''}</td><td>${e(t.owner ?? '—')}</td><td>${e(t.writers.join(', '))}</td><td>${e(t.readers.join(', '))}</td><td>${t.sharedWritten ? 'shared-written' : t.readClass}</td></tr>`,
    );
    return `<table><tr><th>table</th><th>owner</th><th>written by</th><th>read by</th><th>class</th></tr>${rows.join('')}</table>`;
  }
  const contexts = report.contexts.map((c) => c.context);
  const head = `<tr><th>table</th><th>owner</th>${contexts.map((c) => `<th>${e(c)}</th>`).join('')}<th>class</th></tr>`;
  const rows = report.tables.map((t) => {
    const cells = contexts.map((c) => {
      const u = t.usage[c];
      const mark = u ? `${u.writes ? 'W' : ''}${u.reads ? 'R' : ''}` : '';
      return `<td class="${mark}" title="${u ? `${u.writes} writes, ${u.reads} reads` : ''}">${mark}</td>`;
    });
    return `<tr><td>${e(t.table)}</td><td>${e(t.owner ?? '—')}</td>${cells.join('')}<td>${t.sharedWritten ? 'shared-written' : t.readClass}</td></tr>`;
  });
  return `<table>${head}${rows.join('')}</table>`;
}

/** All contexts in one graph when that stays readable, else pick a context to see its neighbours. */
function contextGraph(report: SeamsReport): string {
  if (report.contexts.length <= FULL_GRAPH_LIMIT) return svgContextGraph(report);
  const picker = report.contexts
    .map((c) => `<a href="#${anchor(c.context)}">${e(c.context)}</a>`)
    .join('');
  const sections = report.contexts
    .map(
      (c) =>
        `<section class="ego" id="${anchor(c.context)}"><h3>${e(c.context)} and its neighbours</h3>${svgNeighbourhood(report, c.context)}</section>`,
    )
    .join('');
  return `<p class="muted">${report.contexts.length} contexts: one graph of all of them is unreadable above ${FULL_GRAPH_LIMIT}, so it is left out. The dependency matrix above shows them all; pick a context to see what it imports (right) and what imports it (left).</p><p class="picker">${picker}</p>${sections}`;
}

function cycleBreaks(report: SeamsReport): string {
  if (report.cycleBreaks.length === 0) return '<p>No dependency cycle between contexts.</p>';
  return report.cycleBreaks
    .map(
      (group) =>
        `<h3>${group.contexts.length} contexts in one cycle: cut ${group.cuts.length} dependenc${group.cuts.length === 1 ? 'y' : 'ies'} (weight ${group.cutWeight} of ${group.totalWeight}, ${group.method})</h3><table><tr><th>cut</th><th>imports</th><th>calls</th><th>first imports to replace</th></tr>${group.cuts
          .map(
            (cut) =>
              `<tr><td>${e(cut.from)} → ${e(cut.to)}</td><td>${cut.imports}</td><td>${cut.calls}</td><td>${cut.evidence
                .slice(0, 3)
                .map(
                  (ev) => `${fileLink(report, ev.file, ev.line)} <code>${e(ev.specifier)}</code>`,
                )
                .join('<br>')}</td></tr>`,
          )
          .join(
            '',
          )}</table><p class="muted">Order once cut (each depends only on those before it): ${e(group.order.join(' → '))}</p>`,
    )
    .join('');
}

function findingsByKind(report: SeamsReport): string {
  if (report.findings.length === 0) return '<p>No cross-context seam found.</p>';
  return countBy(report.findings, (f) => f.kind)
    .map(([kind, count]) => {
      const items = report.findings
        .filter((f) => f.kind === kind)
        .map(
          (f) =>
            `<details><summary>${e(f.title)}</summary><p class="next">Next step: ${e(f.nextStep)}</p><ul>${f.evidence
              .map((ev) => `<li>${e(ev.detail)}${fileLink(report, ev.file, ev.line)}</li>`)
              .join('')}</ul></details>`,
        )
        .join('');
      return `<details${count <= 12 ? ' open' : ''}><summary><span class="kind">${e(kind)}</span>${count}</summary>${items}</details>`;
    })
    .join('');
}

/** One self-contained page (inline CSS and SVG, no scripts, no network) that opens offline. */
export const renderHtml: Reporter = (report) => {
  const s = report.summary;
  const ranking = report.ranking
    .map(
      (r) =>
        `<tr><td>${r.rank}</td><td>${e(r.context)}</td><td>${r.score}</td><td>${e(describeTerms(r))}</td><td>${r.seams.length}</td></tr>`,
    )
    .join('');
  const violations = report.ruleViolations
    .map(
      (v) =>
        `<li><b>${e(v.rule)}</b>: ${fileLink(report, v.file, v.line)} imports <code>${e(v.specifier)}</code> (${e(v.from)} → ${e(v.to)})</li>`,
    )
    .join('');
  const confidence = report.confidence
    .map((c) => `<li>${e(c.kind)}: ${e(c.detail)}${fileLink(report, c.file, c.line)}</li>`)
    .join('');
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Seam analysis</title><style>${STYLE}</style></head><body>
<h1>Seam analysis</h1><p class="muted">${e(report.root)} · ${s.files} files · ${s.contexts} contexts · ${s.tables} tables · ${s.findings} seams · ${e(report.generatedAt)}</p>
<h2>Extraction order</h2><p class="muted">Least depended on first. Score = Σ metric × weight, lower first. <code>npx strangler seams plan &lt;context&gt;</code> lists what to cut for one.</p>
<table><tr><th>rank</th><th>context</th><th>score</th><th>terms (value × weight)</th><th>seams</th></tr>${ranking}</table>
<h2>Dependency matrix</h2>${htmlMatrix(report)}
<h2>Breaking the cycles</h2>${cycleBreaks(report)}
<h2>Context graph</h2>${contextGraph(report)}
<h2>Seams</h2>${findingsByKind(report)}
<h2>Table ownership</h2><p class="muted">W writes, R reads.</p>${ownershipMatrix(report)}
<h2>Cross-context foreign keys</h2>${svgForeignKeys(report)}
${violations ? `<h2>Rule violations</h2><ul>${violations}</ul>` : ''}
${confidence ? `<h2>Confidence: not resolved</h2><details${report.confidence.length <= 20 ? ' open' : ''}><summary>${report.confidence.length} item(s)</summary><ul>${confidence}</ul></details>` : ''}
</body></html>
`;
  return { output: html };
};
