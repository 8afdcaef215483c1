import type { CodeModel } from '../model';
import type { DatabaseSchema } from '../schema/schema-model';
import { crossContext, isRuntime } from './context-graph';
import type { TableOwnership } from './ownership';

export interface ContextMetrics {
  context: string;
  files: number;
  /** Outside files importing this context at runtime (afferent coupling). */
  afferent: number;
  /** Outside files this context imports at runtime (efferent coupling). */
  efferent: number;
  afferentTypeOnly: number;
  efferentTypeOnly: number;
  afferentDynamic: number;
  efferentDynamic: number;
  /** efferent / (afferent + efferent): 1 = depends on others only, 0 = only depended on. */
  instability: number;
  /** Its files imported from outside. */
  interfaceSurface: string[];
  ownedTables: string[];
  foreignTablesRead: string[];
  foreignTablesWritten: string[];
  /** Other contexts reading or writing tables it owns. */
  tablesUsedByOthers: number;
  fksIn: number;
  fksOut: number;
  crossContextTransactions: number;
  inCycle: boolean;
  /** Dependencies proposed for cutting (to break its cycle) that start or end here. */
  cycleCuts: number;
  /** Contexts of its cycle group that still depend on it, directly or not, after the cuts. */
  cycleDependents: number;
}

const distinct = (values: string[]) => new Set(values).size;

export function measureContexts(
  model: CodeModel,
  ownership: TableOwnership[],
  schema: DatabaseSchema | undefined,
  cycles: ReadonlyMap<string, { cuts: number; dependents: number }>,
  transactionContexts: string[][],
): ContextMetrics[] {
  const cross = crossContext(model.imports);
  const ownerOf = new Map(ownership.map((t) => [t.table, t.owner]));
  return model.contexts.map((context) => {
    const incoming = cross.filter((e) => e.toContext === context);
    const outgoing = cross.filter((e) => e.fromContext === context);
    const afferent = distinct(incoming.filter(isRuntime).map((e) => e.from));
    const efferent = distinct(outgoing.filter(isRuntime).map((e) => e.to));
    const mine = model.accesses.filter((a) => a.context === context);
    const foreign = (mode: 'read' | 'write') =>
      [
        ...new Set(
          mine
            .filter(
              (a) => a.mode === mode && ownerOf.get(a.table) && ownerOf.get(a.table) !== context,
            )
            .map((a) => a.table),
        ),
      ].sort();
    const owned = ownership.filter((t) => t.owner === context);
    const keys = schema?.foreignKeys ?? [];
    return {
      context,
      files: model.files.filter((f) => f.context === context).length,
      afferent,
      efferent,
      afferentTypeOnly: distinct(incoming.filter((e) => e.typeOnly).map((e) => e.from)),
      efferentTypeOnly: distinct(outgoing.filter((e) => e.typeOnly).map((e) => e.to)),
      afferentDynamic: distinct(incoming.filter((e) => e.kind === 'dynamic').map((e) => e.from)),
      efferentDynamic: distinct(outgoing.filter((e) => e.kind === 'dynamic').map((e) => e.to)),
      instability:
        afferent + efferent === 0 ? 0 : Number((efferent / (afferent + efferent)).toFixed(2)),
      interfaceSurface: [...new Set(incoming.map((e) => e.to))].sort(),
      ownedTables: owned.map((t) => t.table),
      foreignTablesRead: foreign('read'),
      foreignTablesWritten: foreign('write'),
      tablesUsedByOthers: owned.reduce(
        (sum, t) => sum + Object.keys(t.usage).filter((c) => c !== context).length,
        0,
      ),
      fksIn: keys.filter(
        (k) =>
          ownerOf.get(k.refTable) === context &&
          ownerOf.get(k.table) &&
          ownerOf.get(k.table) !== context,
      ).length,
      fksOut: keys.filter(
        (k) =>
          ownerOf.get(k.table) === context &&
          ownerOf.get(k.refTable) &&
          ownerOf.get(k.refTable) !== context,
      ).length,
      crossContextTransactions: transactionContexts.filter((contexts) => contexts.includes(context))
        .length,
      inCycle: cycles.has(context),
      cycleCuts: cycles.get(context)?.cuts ?? 0,
      cycleDependents: cycles.get(context)?.dependents ?? 0,
    };
  });
}
