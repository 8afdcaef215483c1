import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { SeamsReport } from '../seams-report';
import { escapeHtml as e, svgContextGraph, svgForeignKeys } from './html-svg';
import { describeTerms, type Reporter } from './reporter';

const STYLE = `body{font:14px/1.45 system-ui,sans-serif;margin:24px;color:#222;max-width:1200px}
table{border-collapse:collapse;margin:8px 0 20px}td,th{border:1px solid #ccc;padding:3px 8px;text-align:left;vertical-align:top}
th{background:#f3f3f3}.W{background:#ffcdd2}.R{background:#e3f2fd}.WR{background:#ffe0b2}code{font-size:12px}
details{margin:6px 0}summary{cursor:pointer}.kind{display:inline-block;min-width:14em;font-weight:600}
.next{color:#2e7d32}.muted{color:#666}svg{max-width:100%;height:auto;border:1px solid #eee;background:#fcfcfc}`;

function fileLink(report: SeamsReport, file?: string, line?: number): string {
  if (!file) return '';
  const href = pathToFileURL(path.join(report.root, file)).href;
  return ` <a href="${e(href)}"><code>${e(file)}${line ? `:${line}` : ''}</code></a>`;
}

function ownershipMatrix(report: SeamsReport): string {
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

/** One self-contained page (inline CSS and SVG, no scripts, no network) that opens offline. */
export const renderHtml: Reporter = (report) => {
  const s = report.summary;
  const ranking = report.ranking
    .map(
      (r) =>
        `<tr><td>${r.rank}</td><td>${e(r.context)}</td><td>${r.score}</td><td>${e(describeTerms(r))}</td><td>${r.seams.length}</td></tr>`,
    )
    .join('');
  const findings = report.findings
    .map(
      (f) =>
        `<details><summary><span class="kind">${e(f.kind)}</span>${e(f.title)}</summary><p class="next">Next step: ${e(f.nextStep)}</p><ul>${f.evidence
          .map((ev) => `<li>${e(ev.detail)}${fileLink(report, ev.file, ev.line)}</li>`)
          .join('')}</ul></details>`,
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
<h2>Extraction order</h2><p class="muted">Least depended on first. Score = Σ metric × weight, lower first.</p>
<table><tr><th>rank</th><th>context</th><th>score</th><th>terms (value × weight)</th><th>seams</th></tr>${ranking}</table>
<h2>Context graph</h2>${svgContextGraph(report)}
<h2>Seams</h2>${findings || '<p>No cross-context seam found.</p>'}
<h2>Table ownership</h2><p class="muted">W writes, R reads.</p>${ownershipMatrix(report)}
<h2>Cross-context foreign keys</h2>${svgForeignKeys(report)}
${violations ? `<h2>Rule violations</h2><ul>${violations}</ul>` : ''}
${confidence ? `<h2>Confidence: not resolved</h2><ul>${confidence}</ul>` : ''}
</body></html>
`;
  return { output: html };
};
