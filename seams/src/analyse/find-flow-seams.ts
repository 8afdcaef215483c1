import type { CodeModel, FunctionNode } from '../model';
import { NEXT_STEPS, type Finding } from './findings-model';
import type { TableOwnership } from './ownership';

/** Transactions whose tables belong to more than one context (following calls from the body). */
export function findCrossContextTransactions(
  model: CodeModel,
  ownership: TableOwnership[],
): Finding[] {
  const ownerOf = new Map(ownership.map((t) => [t.table, t.owner]));
  const findings: Finding[] = [];
  for (const tx of model.transactions) {
    const contextOf = (table: string, accessContext?: string) =>
      ownerOf.get(table) ?? accessContext;
    const byContext = new Map<string, string[]>();
    for (const entry of tx.tables) {
      const context = contextOf(entry.table, entry.context);
      if (!context) continue;
      byContext.set(context, [...new Set([...(byContext.get(context) ?? []), entry.table])]);
    }
    if (byContext.size < 2) continue;
    const home = tx.context ?? [...byContext.keys()][0];
    const others = [...byContext.keys()].filter((c) => c !== home).sort();
    const written = tx.tables.filter((t) => t.mode === 'write');
    findings.push({
      id: `cross-context-transaction:${tx.file}:${tx.symbol}`,
      kind: 'cross-context-transaction',
      from: home,
      to: others.join(', '),
      contexts: [home, ...others],
      title: `${tx.symbol} (${tx.file}:${tx.line}) runs one transaction over ${[...byContext].map(([c, tables]) => `${c} (${tables.join(', ')})`).join(' and ')}`,
      nextStep: NEXT_STEPS['cross-context-transaction'],
      evidence: [
        {
          key: `tx|${tx.file}|${tx.symbol}`,
          detail: `${tx.text}(…) opened in ${tx.symbol} [${tx.confidence}]`,
          file: tx.file,
          line: tx.line,
          symbol: tx.symbol,
        },
        ...(tx.wrapper
          ? [
              {
                key: `tx|${tx.file}|${tx.symbol}|wrapper`,
                detail: `${tx.wrapper.symbol} wraps knex's ${tx.wrapper.knexCall}`,
                file: tx.wrapper.file,
                line: tx.wrapper.line,
                symbol: tx.wrapper.symbol,
              },
            ]
          : []),
        ...(written.length > 0 ? written : tx.tables).map((t) => ({
          key: `tx|${tx.file}|${tx.symbol}|${t.mode}|${t.table}`,
          detail: `${t.mode === 'write' ? 'writes' : 'reads'} ${t.table} (${contextOf(t.table, t.context)}) via ${t.path.join(' → ')}`,
          file: t.file,
          line: t.line,
          symbol: t.path[t.path.length - 1],
          table: t.table,
        })),
      ],
    });
  }
  return findings;
}

const ORCHESTRATION_MIN_STEPS = 3;
const STEP_DEPTH = 3;

function writesReachable(model: CodeModel, start: FunctionNode): Set<string> {
  const tables = new Set<string>();
  const visited = new Set<string>();
  let frontier = [start];
  for (let depth = 0; depth < STEP_DEPTH && frontier.length > 0; depth += 1) {
    const next: FunctionNode[] = [];
    for (const node of frontier) {
      if (visited.has(node.key)) continue;
      visited.add(node.key);
      for (const access of node.accesses) if (access.mode === 'write') tables.add(access.table);
      for (const call of node.calls) {
        const callee = model.functions.get(call.key);
        if (callee) next.push(callee);
      }
    }
    frontier = next;
  }
  return tables;
}

/**
 * A function that synchronously drives several steps, each writing its own
 * tables (e.g. create customer → loyalty, e-mail, postal pack), inside a
 * transaction or not: either way every step must succeed before the caller returns.
 */
export function findOrchestration(model: CodeModel): Finding[] {
  const findings: Finding[] = [];
  for (const fn of model.functions.values()) {
    if (!fn.context || fn.calls.length < ORCHESTRATION_MIN_STEPS) continue;
    const steps: Array<{ callee: FunctionNode; line: number; tables: string[] }> = [];
    const claimed = new Set<string>();
    for (const call of fn.calls) {
      const callee = model.functions.get(call.key);
      // Only awaited calls are steps: the caller cannot go on until each one is done.
      if (!callee || !call.awaited) continue;
      const tables = [...writesReachable(model, callee)].filter((t) => !claimed.has(t));
      if (tables.length === 0) continue;
      for (const t of tables) claimed.add(t);
      steps.push({ callee, line: call.line, tables });
    }
    if (steps.length < ORCHESTRATION_MIN_STEPS) continue;
    const contexts = [
      ...new Set(steps.map((s) => s.callee.context).filter((c): c is string => Boolean(c))),
    ];
    findings.push({
      id: `orchestration:${fn.file}:${fn.symbol}`,
      kind: 'orchestration',
      from: fn.context,
      to: contexts.filter((c) => c !== fn.context).join(', ') || fn.context,
      contexts: [...new Set([fn.context, ...contexts])],
      title: `${fn.symbol} synchronously orchestrates ${steps.length} steps: ${steps.map((s) => s.callee.symbol).join(', ')}`,
      nextStep: NEXT_STEPS.orchestration,
      evidence: [
        {
          key: `orch|${fn.file}|${fn.symbol}`,
          detail: `${fn.symbol} calls ${steps.length} writing steps in sequence`,
          file: fn.file,
          line: fn.line,
          symbol: fn.symbol,
        },
        ...steps.map((s) => ({
          key: `orch|${fn.file}|${fn.symbol}|${s.callee.symbol}`,
          detail: `step ${s.callee.symbol} writes ${s.tables.join(', ')}`,
          file: fn.file,
          line: s.line,
          symbol: s.callee.symbol,
          table: s.tables[0],
        })),
      ],
    });
  }
  return findings;
}
