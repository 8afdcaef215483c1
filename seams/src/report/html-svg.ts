import type { SeamsReport } from '../seams-report';

export const escapeHtml = (text: string) =>
  text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');

interface Point {
  x: number;
  y: number;
}

function circleLayout(names: string[], size: number): Map<string, Point> {
  const centre = size / 2;
  const radius = size / 2 - 70;
  return new Map(
    names.map((name, i) => {
      const angle = (2 * Math.PI * i) / Math.max(names.length, 1) - Math.PI / 2;
      return [name, { x: centre + radius * Math.cos(angle), y: centre + radius * Math.sin(angle) }];
    }),
  );
}

function arrow(
  from: Point,
  to: Point,
  options: { dashed: boolean; colour: string; label: string },
): string {
  const dx = to.x - from.x;
  const dy = to.y - from.y;
  const length = Math.hypot(dx, dy) || 1;
  // Curved slightly so A→B and B→A do not overlap; shortened to stop at the node box.
  const nx = -dy / length;
  const ny = dx / length;
  const sx = from.x + (dx / length) * 40;
  const sy = from.y + (dy / length) * 18;
  const ex = to.x - (dx / length) * 40;
  const ey = to.y - (dy / length) * 18;
  const cx = (sx + ex) / 2 + nx * 25;
  const cy = (sy + ey) / 2 + ny * 25;
  return `<path d="M${sx.toFixed(1)},${sy.toFixed(1)} Q${cx.toFixed(1)},${cy.toFixed(1)} ${ex.toFixed(1)},${ey.toFixed(1)}" stroke="${options.colour}" fill="none" marker-end="url(#arrow)"${options.dashed ? ' stroke-dasharray="5,4"' : ''}><title>${escapeHtml(options.label)}</title></path>`;
}

function node(name: string, at: Point, colour: string, subtitle: string): string {
  return `<g><rect x="${(at.x - 62).toFixed(1)}" y="${(at.y - 18).toFixed(1)}" width="124" height="36" rx="8" fill="#fff" stroke="${colour}" stroke-width="2"/><text x="${at.x.toFixed(1)}" y="${(at.y - 2).toFixed(1)}" text-anchor="middle" font-size="12" font-weight="600">${escapeHtml(name)}</text><text x="${at.x.toFixed(1)}" y="${(at.y + 12).toFixed(1)}" text-anchor="middle" font-size="10" fill="#555">${escapeHtml(subtitle)}</text></g>`;
}

const DEFS =
  '<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#444"/></marker></defs>';

/** Context graph: runtime imports solid, type-only/dynamic dashed, contexts in a cycle outlined red. */
export function svgContextGraph(report: SeamsReport): string {
  const size = Math.max(420, report.contexts.length * 70);
  const at = circleLayout(
    report.contexts.map((c) => c.context),
    size,
  );
  const edges = report.contextGraph.map((e) => {
    const label = `${e.from} → ${e.to}: ${e.runtime} runtime, ${e.typeOnly} type-only, ${e.dynamic} dynamic imports`;
    return arrow(at.get(e.from) as Point, at.get(e.to) as Point, {
      dashed: e.runtime === 0,
      colour: '#444',
      label,
    });
  });
  const nodes = report.contexts.map((c) =>
    node(
      c.context,
      at.get(c.context) as Point,
      c.inCycle ? '#c62828' : '#1565c0',
      `Ca ${c.afferent} · Ce ${c.efferent} · I ${c.instability}`,
    ),
  );
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${size} ${size}" width="${size}" height="${size}" role="img" aria-label="context graph">${DEFS}${edges.join('')}${nodes.join('')}</svg>`;
}

/** Cross-context foreign keys: tables grouped by owning context, one arrow per key. */
export function svgForeignKeys(report: SeamsReport): string {
  const cross = report.foreignKeys.filter((k) => k.crossContext);
  if (cross.length === 0) return '<p>No foreign key crosses a context boundary.</p>';
  const owner = new Map(report.tables.map((t) => [t.table, t.owner ?? '(unowned)']));
  const tables = [...new Set(cross.flatMap((k) => [k.table, k.refTable]))];
  const contexts = [...new Set(tables.map((t) => owner.get(t) as string))].sort();
  const columnWidth = 190;
  const at = new Map<string, Point>();
  contexts.forEach((context, column) => {
    tables
      .filter((t) => owner.get(t) === context)
      .sort()
      .forEach((table, row) => {
        at.set(table, { x: 100 + column * columnWidth, y: 80 + row * 70 });
      });
  });
  const height =
    80 + Math.max(...contexts.map((c) => tables.filter((t) => owner.get(t) === c).length)) * 70;
  const width = 100 + contexts.length * columnWidth;
  const headers = contexts.map(
    (c, i) =>
      `<text x="${100 + i * columnWidth}" y="30" text-anchor="middle" font-weight="700" font-size="13">${escapeHtml(c)}</text>`,
  );
  const arrows = cross.map((k) =>
    arrow(at.get(k.table) as Point, at.get(k.refTable) as Point, {
      dashed: k.implied,
      colour: k.implied ? '#888' : '#c62828',
      label: `${k.table}.${k.columns.join(',')} → ${k.refTable}.${k.refColumns.join(',')} ${k.implied ? '(implied)' : `ON DELETE ${k.onDelete}`}`,
    }),
  );
  const nodes = tables.map((t) => node(t, at.get(t) as Point, '#2e7d32', owner.get(t) as string));
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="cross-context foreign keys">${DEFS}${headers.join('')}${arrows.join('')}${nodes.join('')}</svg>`;
}

/** One context with the contexts it imports (right) and those importing it (left). */
export function svgNeighbourhood(report: SeamsReport, context: string): string {
  const incoming = report.contextGraph.filter((e) => e.to === context);
  const outgoing = report.contextGraph.filter((e) => e.from === context);
  const rows = Math.max(incoming.length, outgoing.length, 1);
  const height = 40 + rows * 50;
  const width = 720;
  const centre: Point = { x: width / 2, y: height / 2 };
  const metrics = report.contexts.find((c) => c.context === context);
  const at = (i: number, x: number): Point => ({ x, y: 35 + i * 50 });
  const label = (e: (typeof incoming)[number]) =>
    `${e.from} → ${e.to}: ${e.runtime} runtime, ${e.typeOnly} type-only, ${e.dynamic} dynamic imports`;
  const left = incoming.map((e, i) => ({ name: e.from, point: at(i, 90), edge: e }));
  const right = outgoing.map((e, i) => ({ name: e.to, point: at(i, width - 90), edge: e }));
  const colour = (name: string) =>
    report.contexts.find((c) => c.context === name)?.inCycle ? '#c62828' : '#1565c0';
  const arrows = [
    ...left.map((n) =>
      arrow(n.point, centre, {
        dashed: n.edge.runtime === 0,
        colour: '#444',
        label: label(n.edge),
      }),
    ),
    ...right.map((n) =>
      arrow(centre, n.point, {
        dashed: n.edge.runtime === 0,
        colour: '#444',
        label: label(n.edge),
      }),
    ),
  ];
  const nodes = [
    node(
      context,
      centre,
      colour(context),
      metrics ? `Ca ${metrics.afferent} · Ce ${metrics.efferent}` : '',
    ),
    ...[...left, ...right].map((n) =>
      node(
        n.name,
        n.point,
        colour(n.name),
        `${n.edge.runtime + n.edge.typeOnly + n.edge.dynamic} imports`,
      ),
    ),
  ];
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="neighbours of ${escapeHtml(context)}">${DEFS}${arrows.join('')}${nodes.join('')}</svg>`;
}
