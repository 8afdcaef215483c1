import type { MatrixCell } from '../analyse/dependency-matrix';
import type { SeamsReport } from '../seams-report';
import { escapeHtml as e } from './html-svg';

export const MATRIX_STYLE = `.dsm{border-collapse:collapse;font-size:11px;margin:8px 0 4px}.dsm td,.dsm th{border:1px solid #ddd;padding:0;width:26px;height:22px;text-align:center;vertical-align:middle}
.dsm th.row{width:auto;text-align:left;padding:0 6px;white-space:nowrap;font-weight:500}.dsm td.self{background:#555}.dsm td.group{background:#fdecea}
.dsm td.d1{background:#e3f2fd}.dsm td.d2{background:#90caf9}.dsm td.d3{background:#42a5f5;color:#fff}.dsm td.d4{background:#1565c0;color:#fff}
.dsm td.data{box-shadow:inset 0 -3px 0 #ef6c00}.dsm td.cut{outline:2px solid #c62828;outline-offset:-2px}.scroll{overflow:auto;max-width:100%}`;

function strength(weight: number): string {
  if (weight === 0) return '';
  if (weight <= 2) return 'd1';
  if (weight <= 8) return 'd2';
  if (weight <= 30) return 'd3';
  return 'd4';
}

function describeCell(c: MatrixCell): string {
  return [
    `${c.from} → ${c.to}:`,
    `${c.imports} runtime import(s)`,
    c.typeOnly ? `${c.typeOnly} type-only` : '',
    c.calls ? `${c.calls} call(s)` : '',
    c.reads ? `reads ${c.reads} of its table(s)` : '',
    c.writes ? `writes ${c.writes} of its table(s)` : '',
    c.fks ? `${c.fks} foreign key(s)` : '',
    c.cut ? '— proposed cut to break the cycle' : '',
  ]
    .filter(Boolean)
    .join(' ');
}

/**
 * The dependency structure matrix: row i depends on column j. Numbered columns
 * keep it readable at 50+ contexts; cycle groups are shaded blocks on the diagonal.
 */
export function htmlMatrix(report: SeamsReport): string {
  const { order, groups, cells } = report.dependencyMatrix;
  if (order.length === 0) return '<p>No contexts.</p>';
  const byPair = new Map(cells.map((c) => [`${c.from}\0${c.to}`, c]));
  const groupOf = new Map<number, number>();
  groups.forEach(([first, last], g) => {
    for (let i = first; i <= last; i += 1) groupOf.set(i, g);
  });
  const head = `<tr><th class="row"></th>${order.map((c, j) => `<th title="${e(c)}">${j + 1}</th>`).join('')}</tr>`;
  const rows = order.map((from, i) => {
    const tds = order.map((to, j) => {
      if (i === j) return '<td class="self"></td>';
      const cell = byPair.get(`${from}\0${to}`);
      const sameGroup = groupOf.has(i) && groupOf.get(i) === groupOf.get(j);
      const weight = cell ? cell.imports + cell.calls : 0;
      const data = cell ? cell.reads + cell.writes + cell.fks : 0;
      const classes = [
        strength(weight),
        data > 0 ? 'data' : '',
        cell?.cut ? 'cut' : '',
        sameGroup && weight === 0 ? 'group' : '',
      ].filter(Boolean);
      if (!cell || (weight === 0 && data === 0 && cell.typeOnly === 0))
        return `<td${classes.length ? ` class="${classes.join(' ')}"` : ''}></td>`;
      const text = weight > 0 ? String(weight) : data > 0 ? '·' : 't';
      return `<td class="${classes.join(' ')}" title="${e(describeCell(cell))}">${cell.cut ? '✂' : ''}${text}</td>`;
    });
    return `<tr><th class="row">${i + 1}. ${e(from)}</th>${tds.join('')}</tr>`;
  });
  return `<div class="scroll"><table class="dsm">${head}${rows.join('')}</table></div>
<p class="muted">Row depends on column. Number: runtime imports + calls (blue, darker = more); orange underline: it reads or writes the column's tables or has foreign keys to them; t: type-only imports. Each context comes after what it depends on, so marks sit below the diagonal, except inside a cycle group (shaded block), where the proposed cuts (✂, red) sit above it. Hover a cell for the counts.</p>`;
}
