import type { ImportEdge } from '../model';

export interface ContextEdge {
  from: string;
  to: string;
  runtime: number;
  typeOnly: number;
  dynamic: number;
}

/** True for an import that creates a load-time dependency (not type-only, not lazy). */
export function isRuntime(edge: ImportEdge): boolean {
  return !edge.typeOnly && edge.kind !== 'dynamic';
}

const crossByEdges = new WeakMap<readonly ImportEdge[], ImportEdge[]>();

/** Imports between two contexts; imports of test doubles (seams.yaml `testDoubles`) are not coupling. */
export function crossContext(edges: readonly ImportEdge[]): ImportEdge[] {
  const known = crossByEdges.get(edges);
  if (known) return known;
  const cross = edges.filter(
    (e) =>
      !e.testDouble &&
      e.fromContext !== undefined &&
      e.toContext !== undefined &&
      e.fromContext !== e.toContext,
  );
  crossByEdges.set(edges, cross);
  return cross;
}

/** Import counts between contexts, split into runtime, type-only and dynamic. */
export function buildContextGraph(edges: readonly ImportEdge[]): ContextEdge[] {
  const graph = new Map<string, ContextEdge>();
  for (const edge of crossContext(edges)) {
    const id = `${edge.fromContext}\0${edge.toContext}`;
    const entry = graph.get(id) ?? {
      from: edge.fromContext as string,
      to: edge.toContext as string,
      runtime: 0,
      typeOnly: 0,
      dynamic: 0,
    };
    if (edge.typeOnly) entry.typeOnly += 1;
    else if (edge.kind === 'dynamic') entry.dynamic += 1;
    else entry.runtime += 1;
    graph.set(id, entry);
  }
  return [...graph.values()].sort(
    (a, b) => a.from.localeCompare(b.from) || a.to.localeCompare(b.to),
  );
}

/**
 * Every strongly connected component (Tarjan), dependencies first: a component
 * is emitted once everything it depends on has been.
 */
export function stronglyConnected(
  nodes: readonly string[],
  edges: ReadonlyMap<string, string[]>,
): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: string[][] = [];
  let counter = 0;
  const connect = (node: string) => {
    index.set(node, counter);
    low.set(node, counter);
    counter += 1;
    stack.push(node);
    onStack.add(node);
    for (const next of edges.get(node) ?? []) {
      if (!index.has(next)) {
        connect(next);
        low.set(node, Math.min(low.get(node) as number, low.get(next) as number));
      } else if (onStack.has(next))
        low.set(node, Math.min(low.get(node) as number, index.get(next) as number));
    }
    if (low.get(node) === index.get(node)) {
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop() as string;
        onStack.delete(member);
        component.push(member);
      } while (member !== node);
      components.push(component);
    }
  };
  for (const node of nodes) if (!index.has(node)) connect(node);
  return components;
}

/** Contexts → the contexts they import at runtime. */
export function runtimeAdjacency(graph: readonly ContextEdge[]): Map<string, string[]> {
  const adjacency = new Map<string, string[]>();
  for (const edge of graph) {
    if (edge.runtime === 0) continue;
    adjacency.set(edge.from, [...(adjacency.get(edge.from) ?? []), edge.to]);
    if (!adjacency.has(edge.to)) adjacency.set(edge.to, []);
  }
  return adjacency;
}

/** Strongly connected components with more than one context, over runtime edges. */
export function findContextCycles(graph: readonly ContextEdge[]): string[][] {
  const adjacency = runtimeAdjacency(graph);
  return stronglyConnected([...adjacency.keys()].sort(), adjacency)
    .filter((component) => component.length > 1)
    .map((component) => component.sort())
    .sort((a, b) => a[0].localeCompare(b[0]));
}
