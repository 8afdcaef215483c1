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

/**
 * An order of the nodes, providers first (an edge u → v is kept when v comes
 * before u, cut otherwise), whose cut edges weigh as little as possible: a
 * minimum feedback arc set, exact up to EXACT_LIMIT nodes, else the greedy
 * heuristic with local search, then with every redundant cut given back.
 */
export function feedbackOrder(
  nodes: string[],
  weights: Weights,
): { order: string[]; method: 'exact' | 'heuristic' } {
  if (nodes.length <= EXACT_LIMIT) return { order: exactOrder(nodes, weights), method: 'exact' };
  return { order: pruneCuts(nodes, weights, heuristicOrder(nodes, weights)), method: 'heuristic' };
}
