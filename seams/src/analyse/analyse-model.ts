import type { SeamsConfig } from '../config';
import type { CodeModel } from '../model';
import type { DatabaseSchema } from '../schema/schema-model';
import { checkFaces } from './check-faces';
import { checkRules } from './check-rules';
import { breakCycles, cycleStanding, dependencyWeights } from './break-cycles';
import { buildContextGraph, crossContext, findContextCycles } from './context-graph';
import { buildDependencyMatrix } from './dependency-matrix';
import { measureContexts } from './context-metrics';
import { findCodeImports, findCycles } from './find-code-seams';
import {
  findCrossContextKeys,
  findForeignReads,
  findSharedStaticData,
  findSharedWrites,
} from './find-data-seams';
import { findCrossContextTransactions, findOrchestration } from './find-flow-seams';
import type { Finding } from './findings-model';
import { assignOwnership } from './ownership';
import { rankContexts } from './rank-contexts';

const KIND_ORDER = [
  'cycle',
  'cross-context-transaction',
  'fk',
  'shared-written',
  'shared-static-data',
  'foreign-table-read',
  'code-import',
  'orchestration',
];

/** Everything the analyse stage derives from the code model and the schema. */
export function analyseModel(
  model: CodeModel,
  schema: DatabaseSchema | undefined,
  config: SeamsConfig,
) {
  const ownership = assignOwnership(model, schema);
  const contextGraph = buildContextGraph(model.imports);
  const cycles = findContextCycles(contextGraph);
  const dependencies = dependencyWeights(model);
  const cycleBreaks = breakCycles(dependencies, cycles);
  const cycleFindings = findCycles(model, cycleBreaks);
  const transactionFindings = findCrossContextTransactions(model, ownership);
  const findings: Finding[] = [
    ...cycleFindings,
    ...transactionFindings,
    ...findCrossContextKeys(model, ownership, schema),
    ...findSharedWrites(model, ownership),
    ...findSharedStaticData(model, ownership, schema),
    ...findForeignReads(model, ownership),
    ...findCodeImports(model),
    ...findOrchestration(model),
  ].sort(
    (a, b) => KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind) || a.id.localeCompare(b.id),
  );
  const metrics = measureContexts(
    model,
    ownership,
    schema,
    cycleStanding(cycleBreaks, dependencies.weights),
    transactionFindings.map((f) => f.contexts),
  );
  const ownerOf = new Map(ownership.map((t) => [t.table, t.owner]));
  const foreignKeys = (schema?.foreignKeys ?? []).map((key) => {
    const fromContext = ownerOf.get(key.table);
    const toContext = ownerOf.get(key.refTable);
    return {
      ...key,
      fromContext,
      toContext,
      crossContext: Boolean(fromContext && toContext && fromContext !== toContext),
    };
  });
  const dependencyMatrix = buildDependencyMatrix({
    contexts: model.contexts,
    graph: contextGraph,
    dependencies,
    ownership,
    foreignKeys: schema?.foreignKeys ?? [],
    breaks: cycleBreaks,
  });
  return {
    ownership,
    contextGraph,
    cycles,
    cycleBreaks,
    dependencyMatrix,
    findings,
    metrics,
    foreignKeys,
    ranking: rankContexts(metrics, findings),
    ruleViolations: [
      ...checkRules(config.forbidden, model.imports),
      ...checkFaces(config.publicFaces, model.imports),
    ],
    crossContextImports: crossContext(model.imports).length,
  };
}
