import type { CycleBreak } from './analyse/break-cycles';
import type { ContextEdge } from './analyse/context-graph';
import type { DependencyMatrix } from './analyse/dependency-matrix';
import type { ContextMetrics } from './analyse/context-metrics';
import type { Finding } from './analyse/findings-model';
import type { TableOwnership } from './analyse/ownership';
import type { RankEntry } from './analyse/rank-contexts';
import type { RuleViolation } from './analyse/check-rules';
import type { ConfidenceItem, TableAccess, Transaction } from './model';
import type { DatabaseSchema, ForeignKey } from './schema/schema-model';

/** Bumped on any breaking change of the JSON report (documented in seams/README.md). */
export const REPORT_VERSION = 1;

export interface SeamsReport {
  version: typeof REPORT_VERSION;
  tool: 'strangler seams';
  generatedAt: string;
  root: string;
  summary: {
    files: number;
    parsed: number;
    reused: number;
    contexts: number;
    tables: number;
    crossContextImports: number;
    /** Imports of test doubles or fakes (seams.yaml `testDoubles`), not counted as coupling. */
    testDoubleImports: number;
    findings: number;
    ruleViolations: number;
    durationMs: number;
  };
  contexts: ContextMetrics[];
  contextGraph: ContextEdge[];
  cycles: string[][];
  /** Per cycle group, the dependencies to cut to break it (fewest by weight), with evidence. */
  cycleBreaks: CycleBreak[];
  /** Contexts × contexts: imports, calls, tables read and written, foreign keys; cycles on the diagonal. */
  dependencyMatrix: DependencyMatrix;
  tables: TableOwnership[];
  /** Every foreign key, with the contexts owning each side. */
  foreignKeys: Array<
    ForeignKey & { fromContext?: string; toContext?: string; crossContext: boolean }
  >;
  /** Every resolved table access: which function reads or writes which table, where. */
  tableAccess: TableAccess[];
  transactions: Transaction[];
  findings: Finding[];
  ranking: RankEntry[];
  ruleViolations: RuleViolation[];
  baseline?: {
    file: string;
    known: number;
    updated: boolean;
    newFindings: Finding[];
    /** Rule violations the baseline records (left out of `ruleViolations`). */
    knownViolations: number;
  };
  schema?: Pick<DatabaseSchema, 'engine' | 'source' | 'tables'>;
  schemaspy?: { ran: boolean; output?: string; reason?: string };
  confidence: ConfidenceItem[];
  exitCode: number;
}
