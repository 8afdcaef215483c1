import type { CodeModel, ImportEdge } from '../model';
import { NEXT_STEPS, type Evidence, type Finding } from './findings-model';
import type { CycleBreak } from './break-cycles';
import { crossContext, isRuntime } from './context-graph';

const INDEX_FILE = /(^|\/)index\.[cm]?[jt]sx?$/;

interface CodeFacts {
  /** Context → its public index file (an index in its shallowest folder), when it has one. */
  indexOf: Map<string, string>;
  /** "fromFile\0toFile" → functions of toFile called from fromFile. */
  callsBetween: Map<string, Set<string>>;
}

const factsByModel = new WeakMap<CodeModel, CodeFacts>();

function codeFacts(model: CodeModel): CodeFacts {
  const cached = factsByModel.get(model);
  if (cached) return cached;
  const depth = (file: string) => file.split('/').length;
  const indexOf = new Map<string, string>();
  for (const file of model.files) {
    if (!file.context || !INDEX_FILE.test(file.path)) continue;
    const current = indexOf.get(file.context);
    if (!current || depth(file.path) < depth(current)) indexOf.set(file.context, file.path);
  }
  const callsBetween = new Map<string, Set<string>>();
  for (const fn of model.functions.values()) {
    for (const call of fn.calls) {
      const callee = model.functions.get(call.key);
      if (!callee || callee.file === fn.file) continue;
      const id = `${fn.file}\0${callee.file}`;
      callsBetween.set(id, (callsBetween.get(id) ?? new Set()).add(callee.symbol));
    }
  }
  const facts = { indexOf, callsBetween };
  factsByModel.set(model, facts);
  return facts;
}

/** The index file an import should have gone through, when it went around it. */
function bypassedIndex(model: CodeModel, edge: ImportEdge): string | undefined {
  const index = codeFacts(model).indexOf.get(edge.toContext ?? '');
  if (!index) return undefined;
  return (edge.via ?? edge.to) === index ? undefined : index;
}

function edgeEvidence(model: CodeModel, edge: ImportEdge): Evidence {
  const kind = edge.typeOnly
    ? 'type-only import'
    : edge.kind === 'dynamic'
      ? 'dynamic import()'
      : edge.kind === 'require'
        ? 'require'
        : edge.kind === 'reexport'
          ? 're-export'
          : 'import';
  const bypassed = bypassedIndex(model, edge);
  const uses = [...(codeFacts(model).callsBetween.get(`${edge.from}\0${edge.to}`) ?? [])].slice(
    0,
    6,
  );
  const detail = [
    `${kind} of ${edge.names.join(', ') || '(module)'} from '${edge.specifier}' → ${edge.to}`,
    edge.via ? ` via ${edge.via}` : '',
    bypassed ? ` (bypasses ${bypassed})` : '',
    uses.length > 0 ? `; calls ${uses.join(', ')}` : '',
  ].join('');
  return {
    key: `import|${edge.from}|${edge.to}`,
    detail,
    file: edge.from,
    line: edge.line,
    symbol: edge.names.join(', '),
  };
}

/** One finding per pair of contexts with imports between them. */
export function findCodeImports(model: CodeModel): Finding[] {
  const groups = new Map<string, ImportEdge[]>();
  for (const edge of crossContext(model.imports)) {
    const id = `${edge.fromContext}->${edge.toContext}`;
    const group = groups.get(id);
    if (group) group.push(edge);
    else groups.set(id, [edge]);
  }
  return [...groups].map(([id, edges]) => {
    const { fromContext: from, toContext: to } = edges[0] as Required<ImportEdge>;
    const runtime = edges.filter(isRuntime).length;
    const bypassing = edges.filter((e) => bypassedIndex(model, e)).length;
    const names = [...new Set(edges.flatMap((e) => e.names))].slice(0, 6).join(', ');
    return {
      id: `code-import:${id}`,
      kind: 'code-import' as const,
      from,
      to,
      contexts: [from, to],
      title: `${from} imports ${to} (${edges.length} import${edges.length === 1 ? '' : 's'}, ${runtime} at runtime${bypassing ? `, ${bypassing} bypassing its index` : ''}): ${names}`,
      nextStep: NEXT_STEPS['code-import'],
      evidence: edges.map((edge) => edgeEvidence(model, edge)),
    };
  });
}

const listContexts = (names: readonly string[]) =>
  names.length <= 6
    ? names.join(' ↔ ')
    : `${names.length} contexts (${names.slice(0, 4).join(', ')}, …)`;

/**
 * Contexts that depend on each other at runtime: one finding per group, its
 * evidence the dependencies proposed for cutting (fewest by weight) and then
 * the other imports that close the cycle.
 */
export function findCycles(model: CodeModel, breaks: readonly CycleBreak[]): Finding[] {
  return breaks.map((group) => {
    const members = group.contexts;
    const cutIds = new Set(group.cuts.map((c) => `${c.from}\0${c.to}`));
    const inside = crossContext(model.imports).filter(
      (e) =>
        isRuntime(e) &&
        members.includes(e.fromContext as string) &&
        members.includes(e.toContext as string),
    );
    const cutEvidence: Evidence[] = group.cuts.map((cut) => ({
      key: `cycle-cut|${members.join(',')}|${cut.from}|${cut.to}`,
      detail: `cut ${cut.from} → ${cut.to} (${cut.imports} import${cut.imports === 1 ? '' : 's'}, ${cut.calls} call${cut.calls === 1 ? '' : 's'})${cut.evidence[0] ? `: first ${cut.evidence[0].file}:${cut.evidence[0].line} imports '${cut.evidence[0].specifier}'` : ''}`,
      file: cut.evidence[0]?.file,
      line: cut.evidence[0]?.line,
    }));
    return {
      id: `cycle:${members.join(',')}`,
      kind: 'cycle' as const,
      from: members[0],
      to: members.length === 2 ? members[1] : members.slice(1).join(', '),
      contexts: [...members],
      title: `dependency cycle between ${listContexts(members)}: cutting ${group.cuts.length} dependenc${group.cuts.length === 1 ? 'y' : 'ies'} (weight ${group.cutWeight} of ${group.totalWeight}) breaks it`,
      nextStep: NEXT_STEPS.cycle,
      evidence: [
        ...cutEvidence,
        ...inside
          .filter((edge) => cutIds.has(`${edge.fromContext}\0${edge.toContext}`))
          .map((edge) => ({
            ...edgeEvidence(model, edge),
            key: `cycle|${members.join(',')}|${edge.from}|${edge.to}`,
          })),
        ...inside
          .filter((edge) => !cutIds.has(`${edge.fromContext}\0${edge.toContext}`))
          .map((edge) => ({
            ...edgeEvidence(model, edge),
            key: `cycle|${members.join(',')}|${edge.from}|${edge.to}`,
          })),
      ],
    };
  });
}
