import { SeamsError } from '../errors';
import type { SeamsReport } from '../seams-report';
import type { Evidence, Finding, FindingKind } from './findings-model';

/** One thing to cut or move before a context can leave, with the pattern the kit uses for it. */
export interface PlanItem {
  kind:
    | 'cycle-cut'
    | 'imports-out'
    | 'imports-in'
    | 'foreign-reads'
    | 'tables-read-by-others'
    | 'shared-writes'
    | 'foreign-key'
    | 'transaction'
    | 'orchestration'
    | 'static-data';
  title: string;
  /** The pattern (Building Microservices, and the kit's exercises) that undoes it. */
  pattern: string;
  how: string;
  evidence: Evidence[];
}

export interface ExtractionPlan {
  context: string;
  rank?: number;
  score?: number;
  files: number;
  ownedTables: string[];
  items: PlanItem[];
}

/** The kit's pattern for each item: what a team does about it, in the order of the book. */
export const PATTERNS: Record<PlanItem['kind'], { pattern: string; how: string }> = {
  'cycle-cut': {
    pattern: 'break the cycle: invert the dependency',
    how: 'make the caller own an interface the other side implements, or publish an event instead of calling back',
  },
  'imports-out': {
    pattern: 'strangler fig: call the other context through its API',
    how: 'import only its index first, then replace the call with an HTTP call routed by the strangler proxy',
  },
  'imports-in': {
    pattern: 'strangler fig: give it a public API',
    how: 'make callers go through its index, then expose the same operations over HTTP and route them through the proxy',
  },
  'foreign-reads': {
    pattern: 'ask the owner: API call (a database view as a stopgap)',
    how: "replace the query on another context's tables with a call to its API, or read a view it publishes while moving",
  },
  'tables-read-by-others': {
    pattern: 'expose its data: API, events or a data pump',
    how: 'give the readers an API call, publish events they subscribe to, or feed a reporting database with a data pump',
  },
  'shared-writes': {
    pattern: 'split the table, one writer each',
    how: 'move the other writers behind its API, or split the columns each context writes into tables of their own',
  },
  'foreign-key': {
    pattern: 'move the foreign-key relationship into code',
    how: 'drop the constraint; keep the id and fetch the other side through its API, handling a missing row',
  },
  transaction: {
    pattern: 'saga: local transactions with compensating actions',
    how: 'split the transaction at the context boundary; each step commits locally and a failure runs the compensations',
  },
  orchestration: {
    pattern: 'choreography with events (transactional outbox)',
    how: 'publish an event from the first step and let each later step subscribe, instead of calling each synchronously',
  },
  'static-data': {
    pattern: 'static reference data as code or configuration',
    how: 'copy the reference table into code or config in each service (or a small reference-data service)',
  },
};

function item(kind: PlanItem['kind'], title: string, evidence: Evidence[]): PlanItem {
  return { kind, title, ...PATTERNS[kind], evidence };
}

const of = (report: SeamsReport, kind: FindingKind, pick: (f: Finding) => boolean) =>
  report.findings.filter((f) => f.kind === kind && pick(f));

/**
 * What has to be cut to extract one context, in the order to do it: break its
 * cycles, then its code dependencies both ways, its data (reads, shared writes,
 * foreign keys, static data), then the flows (transactions, orchestration).
 *
 * @example planExtraction(report, 'finance').items.map((i) => i.title)
 */
export function planExtraction(report: SeamsReport, context: string): ExtractionPlan {
  const metrics = report.contexts.find((c) => c.context === context);
  if (!metrics)
    throw new SeamsError(
      'ERR_SEAMS_OPTIONS',
      `seams plan: no context "${context}" (known: ${report.contexts.map((c) => c.context).join(', ') || 'none'}); name one of them, e.g. strangler seams plan ${report.contexts[0]?.context ?? 'billing'} --root src`,
    );
  const items: PlanItem[] = [];
  for (const group of report.cycleBreaks) {
    for (const cut of group.cuts.filter((c) => c.from === context || c.to === context))
      items.push(
        item(
          'cycle-cut',
          `cut ${cut.from} → ${cut.to} (${cut.imports} import(s), ${cut.calls} call(s)) to break the cycle of ${group.contexts.length} contexts`,
          cut.evidence.map((e) => ({
            key: `cycle-cut|${cut.from}|${cut.to}|${e.file}`,
            detail: `${e.file} imports '${e.specifier}' (${e.names.join(', ') || 'module'})`,
            file: e.file,
            line: e.line,
          })),
        ),
      );
  }
  for (const f of of(report, 'code-import', (f) => f.from === context))
    items.push(item('imports-out', `replace its imports of ${f.to}: ${f.title}`, f.evidence));
  for (const f of of(report, 'code-import', (f) => f.to === context))
    items.push(item('imports-in', `${f.from} imports it: ${f.title}`, f.evidence));
  for (const f of of(report, 'foreign-table-read', (f) => f.from === context))
    items.push(item('foreign-reads', f.title, f.evidence));
  for (const f of of(report, 'foreign-table-read', (f) => f.to === context))
    items.push(item('tables-read-by-others', f.title, f.evidence));
  for (const f of of(report, 'shared-written', (f) => f.contexts.includes(context)))
    items.push(item('shared-writes', f.title, f.evidence));
  for (const f of of(report, 'fk', (f) => f.from === context || f.to === context))
    items.push(item('foreign-key', f.title, f.evidence));
  for (const f of of(report, 'shared-static-data', (f) => f.contexts.includes(context)))
    items.push(item('static-data', f.title, f.evidence));
  for (const f of of(report, 'cross-context-transaction', (f) => f.contexts.includes(context)))
    items.push(item('transaction', f.title, f.evidence));
  for (const f of of(report, 'orchestration', (f) => f.contexts.includes(context)))
    items.push(item('orchestration', f.title, f.evidence));
  const rank = report.ranking.find((r) => r.context === context);
  return {
    context,
    rank: rank?.rank,
    score: rank?.score,
    files: metrics.files,
    ownedTables: metrics.ownedTables,
    items,
  };
}
