import type { CodeModel, ImportEdge } from '../model';
import { crossContext, isRuntime } from './context-graph';

/** One cross-context dependency proposed for cutting, with what is behind it. */
export interface CycleCut {
  from: string;
  to: string;
  /** Runtime imports from `from`'s files into `to`'s files. */
  imports: number;
  /** Calls from `from`'s functions to `to`'s functions. */
  calls: number;
  weight: number;
  /** The import statements to replace (file:line), most first. */
  evidence: Array<{ file: string; line: number; specifier: string; names: string[] }>;
}

/** How to break one strongly connected group of contexts. */
export interface CycleBreak {
  contexts: string[];
  /** The group in dependency order after the cuts: each depends only on those before it. */
  order: string[];
  cuts: CycleCut[];
  cutWeight: number;
  /** Weight of every dependency inside the group, to judge the cut against. */
  totalWeight: number;
  /** 'exact' (smallest possible total weight) up to EXACT_LIMIT contexts, else a heuristic. */
  method: 'exact' | 'heuristic';
}

const EXACT_LIMIT = 14;

/** Weight of `from → to`: runtime imports plus calls behind the dependency. */
export type Weights = ReadonlyMap<string, ReadonlyMap<string, number>>;

const weightOf = (weights: Weights, from: string, to: string) => weights.get(from)?.get(to) ?? 0;

/**
 * The order (providers first: an edge u → v is kept when v comes before u) whose
 * cut edges weigh least, over all orders: dynamic programming over subsets.
 */
function exactOrder(nodes: string[], weights: Weights): string[] {
  const n = nodes.length;
  const w = nodes.map((a) => nodes.map((b) => weightOf(weights, a, b)));
  const size = 1 << n;
  const cost = new Float64Array(size).fill(Number.POSITIVE_INFINITY);
  const last = new Int8Array(size).fill(-1);
  cost[0] = 0;
  for (let set = 0; set < size; set += 1) {
    if (cost[set] === Number.POSITIVE_INFINITY) continue;
    for (let v = 0; v < n; v += 1) {
      if (set & (1 << v)) continue;
      // Placing v after every node of `set`: a node u already placed that depends on v is cut.
      let added = 0;
      for (let u = 0; u < n; u += 1) if (set & (1 << u)) added += w[u][v];
      const next = set | (1 << v);
      if (cost[set] + added < cost[next]) {
        cost[next] = cost[set] + added;
        last[next] = v;
      }
    }
  }
  const order: string[] = [];
  for (let set = size - 1; set > 0; set &= ~(1 << last[set])) order.unshift(nodes[last[set]]);
  return order;
}

/**
 * Eades–Lin–Smyth greedy ordering with weights (contexts that depend on nothing
 * left go first, those nothing depends on go last, else the most depended-on),
 * then insertion moves while they lower the weight of the cut.
 */
function heuristicOrder(nodes: string[], weights: Weights): string[] {
  const remaining = new Set(nodes);
  const out = (v: string) => [...remaining].reduce((s, u) => s + weightOf(weights, v, u), 0);
  const inn = (v: string) => [...remaining].reduce((s, u) => s + weightOf(weights, u, v), 0);
  const head: string[] = [];
  const tail: string[] = [];
  while (remaining.size > 0) {
    let moved = true;
    while (moved) {
      moved = false;
      for (const v of [...remaining].sort()) {
        if (out(v) === 0) {
          // Depends on nothing left: a provider, it goes first.
          head.push(v);
          remaining.delete(v);
          moved = true;
        } else if (inn(v) === 0) {
          tail.unshift(v);
          remaining.delete(v);
          moved = true;
        }
      }
    }
    if (remaining.size === 0) break;
    const best = [...remaining].sort(
      (a, b) => inn(b) - out(b) - (inn(a) - out(a)) || a.localeCompare(b),
    )[0];
    head.push(best);
    remaining.delete(best);
  }
  const order = [...head, ...tail];
  // Insertion moves: take a node out and put it where the cut is smallest, until nothing improves.
  for (let pass = 0; pass < 50; pass += 1) {
    let improved = false;
    for (const node of [...order]) {
      const from = order.indexOf(node);
      order.splice(from, 1);
      // At the front, every edge from node to the others is cut; moving it past
      // order[p] keeps node → order[p] and cuts order[p] → node instead.
      let cost = 0;
      for (const other of order) cost += weightOf(weights, node, other);
      const costs = [cost];
      for (const other of order) {
        cost += weightOf(weights, other, node) - weightOf(weights, node, other);
        costs.push(cost);
      }
      let bestAt = from;
      for (let p = 0; p < costs.length; p += 1) if (costs[p] < costs[bestAt] - 1e-9) bestAt = p;
      order.splice(bestAt, 0, node);
      if (bestAt !== from) improved = true;
    }
    if (!improved) break;
  }
  return order;
}

/**
 * Providers-first order of a graph without the cut edges, or undefined when a
 * cycle is left (depth-first: a context comes after everything it depends on).
 */
function orderWithout(nodes: string[], weights: Weights, cut: Set<string>): string[] | undefined {
  const state = new Map<string, 'open' | 'done'>();
  const order: string[] = [];
  const visit = (node: string): boolean => {
    if (state.get(node) === 'done') return true;
    if (state.get(node) === 'open') return false;
    state.set(node, 'open');
    for (const [to, weight] of weights.get(node) ?? [])
      if (weight > 0 && !cut.has(`${node}\0${to}`) && !visit(to)) return false;
    state.set(node, 'done');
    order.push(node);
    return true;
  };
  for (const node of nodes) if (!visit(node)) return undefined;
  return order;
}

/**
 * Gives back every cut the group can do without (heaviest first): the cuts left
 * are then minimal, no one of them is redundant. Returns the order they allow.
 */
function pruneCuts(nodes: string[], weights: Weights, order: string[]): string[] {
  const position = new Map(order.map((c, i) => [c, i]));
  const cuts = nodes
    .flatMap((from) =>
      [...(weights.get(from) ?? [])]
        .filter(([to, w]) => w > 0 && (position.get(from) as number) < (position.get(to) as number))
        .map(([to, w]) => ({ id: `${from}\0${to}`, w })),
    )
    .sort((a, b) => b.w - a.w || a.id.localeCompare(b.id));
  const cut = new Set(cuts.map((c) => c.id));
  for (const { id } of cuts) {
    cut.delete(id);
    if (!orderWithout(nodes, weights, cut)) cut.add(id);
  }
  return orderWithout(nodes, weights, cut) ?? order;
}

/** Runtime imports and calls between each pair of contexts. */
export function dependencyWeights(model: CodeModel): {
  imports: Map<string, ImportEdge[]>;
  calls: Map<string, number>;
  weights: Map<string, Map<string, number>>;
} {
  const imports = new Map<string, ImportEdge[]>();
  for (const edge of crossContext(model.imports).filter(isRuntime)) {
    const id = `${edge.fromContext}\0${edge.toContext}`;
    imports.set(id, [...(imports.get(id) ?? []), edge]);
  }
  const calls = new Map<string, number>();
  for (const fn of model.functions.values()) {
    for (const call of fn.calls) {
      const callee = model.functions.get(call.key);
      if (!fn.context || !callee?.context || callee.context === fn.context) continue;
      const id = `${fn.context}\0${callee.context}`;
      calls.set(id, (calls.get(id) ?? 0) + 1);
    }
  }
  const weights = new Map<string, Map<string, number>>();
  for (const [id, edges] of imports) {
    const [from, to] = id.split('\0');
    const row = weights.get(from) ?? new Map<string, number>();
    row.set(to, edges.length + (calls.get(id) ?? 0));
    weights.set(from, row);
  }
  return { imports, calls, weights };
}

/**
 * For each strongly connected group of contexts, the fewest (by weight)
 * cross-context dependencies to cut so the group has no cycle left: a minimum
 * feedback arc set, exact for small groups and by the Eades–Lin–Smyth
 * heuristic with local improvement for large ones. Weights are the runtime
 * imports plus the calls behind each dependency, so a cut proposes the
 * thinnest dependencies first.
 */
export function breakCycles(
  dependencies: ReturnType<typeof dependencyWeights>,
  cycles: readonly string[][],
): CycleBreak[] {
  const { imports, calls, weights } = dependencies;
  return cycles.map((members) => {
    const inGroup = new Set(members);
    const local: Weights = new Map(
      members.map((from) => [
        from,
        new Map([...(weights.get(from) ?? [])].filter(([to]) => inGroup.has(to))),
      ]),
    );
    const exact = members.length <= EXACT_LIMIT;
    const sorted = [...members].sort();
    const order = exact
      ? exactOrder(sorted, local)
      : pruneCuts(sorted, local, heuristicOrder(sorted, local));
    const position = new Map(order.map((c, i) => [c, i]));
    const cuts: CycleCut[] = [];
    let totalWeight = 0;
    for (const [from, row] of local) {
      for (const [to, weight] of row) {
        totalWeight += weight;
        // Kept edges point back to a provider placed earlier; one pointing forward is cut.
        if ((position.get(from) as number) >= (position.get(to) as number)) continue;
        const id = `${from}\0${to}`;
        const edges = imports.get(id) ?? [];
        cuts.push({
          from,
          to,
          imports: edges.length,
          calls: calls.get(id) ?? 0,
          weight,
          evidence: edges.slice(0, 8).map((e) => ({
            file: e.from,
            line: e.line,
            specifier: e.specifier,
            names: e.names,
          })),
        });
      }
    }
    cuts.sort(
      (a, b) => a.weight - b.weight || a.from.localeCompare(b.from) || a.to.localeCompare(b.to),
    );
    return {
      contexts: [...members].sort(),
      order,
      cuts,
      cutWeight: cuts.reduce((sum, c) => sum + c.weight, 0),
      totalWeight,
      method: exact ? 'exact' : 'heuristic',
    };
  });
}

/**
 * Per context, what the proposed cuts mean for extracting it: how many cuts
 * touch it, and how many contexts of its group still depend on it (directly or
 * not) once they are made. A context nothing depends on after the cuts can go first.
 */
export function cycleStanding(
  breaks: readonly CycleBreak[],
  weights: Weights,
): Map<string, { cuts: number; dependents: number }> {
  const standing = new Map<string, { cuts: number; dependents: number }>();
  for (const group of breaks) {
    const cut = new Set(group.cuts.map((c) => `${c.from}\0${c.to}`));
    const inGroup = new Set(group.contexts);
    const dependentsOf = new Map<string, string[]>();
    for (const from of group.contexts)
      for (const to of weights.get(from)?.keys() ?? [])
        if (inGroup.has(to) && !cut.has(`${from}\0${to}`))
          dependentsOf.set(to, [...(dependentsOf.get(to) ?? []), from]);
    for (const context of group.contexts) {
      const seen = new Set<string>();
      const stack = [...(dependentsOf.get(context) ?? [])];
      while (stack.length > 0) {
        const next = stack.pop() as string;
        if (seen.has(next) || next === context) continue;
        seen.add(next);
        stack.push(...(dependentsOf.get(next) ?? []));
      }
      standing.set(context, {
        cuts: group.cuts.filter((c) => c.from === context || c.to === context).length,
        dependents: seen.size,
      });
    }
  }
  return standing;
}
