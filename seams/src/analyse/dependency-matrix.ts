import type { ForeignKey } from '../schema/schema-model';
import type { CycleBreak, dependencyWeights } from './break-cycles';
import { type ContextEdge, runtimeAdjacency, stronglyConnected } from './context-graph';
import type { TableOwnership } from './ownership';

/** What row context `from` depends on in column context `to`. */
export interface MatrixCell {
  from: string;
  to: string;
  /** Runtime imports; type-only imports are counted apart. */
  imports: number;
  typeOnly: number;
  calls: number;
  /** Distinct tables of `to` that `from` reads / writes. */
  reads: number;
  writes: number;
  /** Foreign keys from `from`'s tables to `to`'s tables. */
  fks: number;
  /** A dependency proposed for cutting to break a cycle. */
  cut?: true;
}

/**
 * A dependency structure matrix of the contexts: rows depend on columns. The
 * order puts every context after the ones it depends on, so marks sit below the
 * diagonal except inside a cycle group, which stands as one block on the
 * diagonal with its proposed cuts above it.
 */
export interface DependencyMatrix {
  order: string[];
  /** Cycle groups, as index ranges [first, last] of `order`. */
  groups: Array<[number, number]>;
  cells: MatrixCell[];
}

export function buildDependencyMatrix(input: {
  contexts: readonly string[];
  graph: readonly ContextEdge[];
  dependencies: ReturnType<typeof dependencyWeights>;
  ownership: readonly TableOwnership[];
  foreignKeys: readonly ForeignKey[];
  breaks: readonly CycleBreak[];
}): DependencyMatrix {
  const cells = new Map<string, MatrixCell>();
  const cell = (from: string, to: string) => {
    const id = `${from}\0${to}`;
    let found = cells.get(id);
    if (!found) {
      found = { from, to, imports: 0, typeOnly: 0, calls: 0, reads: 0, writes: 0, fks: 0 };
      cells.set(id, found);
    }
    return found;
  };
  for (const edge of input.graph) {
    const c = cell(edge.from, edge.to);
    c.imports = edge.runtime + edge.dynamic;
    c.typeOnly = edge.typeOnly;
  }
  for (const [id, calls] of input.dependencies.calls) {
    const [from, to] = id.split('\0');
    cell(from, to).calls = calls;
  }
  const ownerOf = new Map(input.ownership.map((t) => [t.table, t.owner]));
  for (const table of input.ownership) {
    if (!table.owner) continue;
    for (const [context, use] of Object.entries(table.usage)) {
      if (context === table.owner) continue;
      if (use.reads > 0) cell(context, table.owner).reads += 1;
      if (use.writes > 0) cell(context, table.owner).writes += 1;
    }
  }
  for (const key of input.foreignKeys) {
    const from = ownerOf.get(key.table);
    const to = ownerOf.get(key.refTable);
    if (from && to && from !== to) cell(from, to).fks += 1;
  }
  for (const group of input.breaks) for (const cut of group.cuts) cell(cut.from, cut.to).cut = true;

  const runtime = runtimeAdjacency(input.graph);
  const orderOfGroup = new Map(
    input.breaks.map((b) => [[...b.contexts].sort().join('\0'), b.order]),
  );
  const order: string[] = [];
  const groups: Array<[number, number]> = [];
  for (const component of stronglyConnected([...input.contexts].sort(), runtime)) {
    if (component.length === 1) {
      order.push(component[0]);
      continue;
    }
    const members = orderOfGroup.get([...component].sort().join('\0')) ?? [...component].sort();
    groups.push([order.length, order.length + members.length - 1]);
    order.push(...members);
  }
  return { order, groups, cells: [...cells.values()] };
}
