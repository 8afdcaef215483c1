import type { CodeModel, ImportEdge } from '../model';
import { crossContext, isRuntime } from './context-graph';
import { feedbackOrder, type Weights } from './feedback-order';

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
  /** 'exact' (smallest possible total weight) for small groups, else a heuristic (feedback-order). */
  method: 'exact' | 'heuristic';
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
    const { order, method } = feedbackOrder([...members].sort(), local);
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
      method,
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
