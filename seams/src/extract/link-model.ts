import type { AccessFact, FileFacts, FunctionFact } from './facts';
import type { ModuleResolver } from './resolve-modules';
import { type ClassRef, SymbolIndex } from './symbol-index';
import { describeRef, refKey } from './table-ref-key';
import { linkTransactions } from './link-transactions';
import type { CodeModel, ConfidenceItem, FunctionNode, ImportEdge, TableAccess } from '../model';

export interface LinkInput {
  root: string;
  facts: ReadonlyMap<string, FileFacts>;
  resolver: ModuleResolver;
  contextOf: (file: string) => string | undefined;
  maxDepth: number;
  stats: { parsed: number; reused: number };
  /** Source files outside the root that imports lead to (workspace packages), for their constants. */
  loadOutside?: (file: string) => FileFacts | undefined;
  /** Files that are test doubles or fakes: imports to or from them are not runtime coupling. */
  isTestDouble?: (file: string) => boolean;
  /** Project functions (names or `Class.method`) that run a callback in a transaction (seams.yaml). */
  transactionWrappers?: readonly string[];
}

const looksLocal = (specifier: string) => /^(\.|\/|~|@\/|#)/.test(specifier);

function linkImports(input: LinkInput, index: SymbolIndex, confidence: ConfidenceItem[]) {
  const { facts, resolver, contextOf } = input;
  const imports: ImportEdge[] = [];
  let externalImports = 0;
  for (const [file, fileFacts] of facts) {
    for (const error of fileFacts.parseErrors)
      confidence.push({ kind: 'parse-error', file, line: error.line, detail: error.message });
    for (const imp of fileFacts.imports) {
      const resolution = resolver.resolve(file, imp.specifier);
      if (resolution.kind === 'builtin') continue;
      if (resolution.kind === 'external' || resolution.kind === 'outside') {
        externalImports += 1;
        continue;
      }
      if (resolution.kind === 'unresolved') {
        const kind = looksLocal(imp.specifier) ? 'unresolved-import' : 'missing-package';
        confidence.push({
          kind,
          file,
          line: imp.line,
          detail: `cannot resolve '${imp.specifier}'`,
        });
        continue;
      }
      const target = resolution.file;
      const groups = new Map<string, string[]>();
      const names = imp.kind === 'reexport' || imp.names.length === 0 ? [] : imp.names;
      if (names.length === 0) groups.set(target, [...imp.names]);
      for (const name of names) {
        const def = index.findExport(target, name);
        const to = def && facts.has(def.file) ? def.file : target;
        groups.set(to, [...(groups.get(to) ?? []), name]);
      }
      for (const [to, groupNames] of groups) {
        const testDouble = input.isTestDouble?.(file) || input.isTestDouble?.(to);
        imports.push({
          from: file,
          to,
          fromContext: contextOf(file),
          toContext: contextOf(to),
          line: imp.line,
          specifier: imp.specifier,
          kind: imp.kind,
          typeOnly: imp.typeOnly,
          names: groupNames,
          ...(to !== target ? { via: target } : {}),
          ...(testDouble ? { testDouble: true } : {}),
        });
      }
    }
  }
  return { imports, externalImports };
}

/** A method a subclass inherits whose table comes from the subclass (`super('events', db)`). */
interface InheritedMethod {
  subclass: ClassRef;
  chain: ClassRef[];
  base: ClassRef;
  fn: FunctionFact;
}

/** Every (subclass, inherited method) pair where the method reads `this.<field>` as a table. */
function findInheritedMethods(input: LinkInput, index: SymbolIndex): InheritedMethod[] {
  const found: InheritedMethod[] = [];
  for (const [file, facts] of input.facts) {
    for (const fact of facts.classes) {
      if (!fact.extends) continue;
      const chain = index.ancestry({ file, fact });
      const defined = new Set(
        facts.functions
          .filter((fn) => fn.className === fact.name)
          .map((fn) => fn.id.slice(fact.name.length + 1)),
      );
      for (const base of chain.slice(1)) {
        for (const fn of input.facts.get(base.file)?.functions ?? []) {
          if (fn.className !== base.fact.name) continue;
          const method = fn.id.slice(base.fact.name.length + 1);
          if (defined.has(method)) continue;
          defined.add(method);
          if (method !== 'constructor' && fn.accesses.some((a) => a.ref.kind === 'this-field'))
            found.push({ subclass: { file, fact }, chain, base, fn });
        }
      }
    }
  }
  return found;
}

/**
 * Joins the per-file facts into one model: resolved import edges (through
 * barrels), table accesses with resolved names (inherited methods resolved per
 * subclass), the call graph, and every transaction with the tables its body
 * reaches through calls.
 */
export function linkModel(input: LinkInput): CodeModel {
  const { facts, contextOf } = input;
  const index = new SymbolIndex(facts, input.resolver, input.loadOutside);
  const confidence: ConfidenceItem[] = [];
  const { imports, externalImports } = linkImports(input, index, confidence);

  const inherited = findInheritedMethods(input, index);
  for (const m of inherited)
    index.addInheritedFunction(
      m.subclass.file,
      `${m.subclass.fact.name}.${m.fn.id.slice(m.base.fact.name.length + 1)}`,
    );
  /** Base-class accesses some subclass resolves: not reported as unresolved in the base. */
  const resolvedBySubclass = new Set<AccessFact>();

  const functions = new Map<string, FunctionNode>();
  const accesses: TableAccess[] = [];
  const unresolved: Array<{ file: string; fn: FunctionFact; access: AccessFact; reason: string }> =
    [];
  const resolveAccesses = (
    file: string,
    fn: FunctionFact,
    resolve: (access: AccessFact) => ReturnType<SymbolIndex['resolveTable']>,
    place: { context?: string; symbol: string; viaSuffix?: string },
    onUnresolved: (access: AccessFact, reason: string) => void,
  ): TableAccess[] => {
    const ctes = fn.cteNames ? new Set(fn.cteNames) : undefined;
    const out: TableAccess[] = [];
    for (const access of fn.accesses) {
      const key = ctes && refKey(access.ref);
      if (key && ctes?.has(key)) continue;
      const resolved = resolve(access);
      if ('reason' in resolved) {
        onUnresolved(access, resolved.reason);
        continue;
      }
      out.push({
        table: resolved.table,
        mode: access.mode,
        file,
        line: access.line,
        context: place.context,
        symbol: place.symbol,
        via: place.viaSuffix ? `${access.via} ${place.viaSuffix}` : access.via,
      });
    }
    return out;
  };
  const resolveCalls = (file: string, fn: FunctionFact, key: string) => {
    const calls = new Map<string, FunctionNode['calls'][number]>();
    const transactionLines = new Set(fn.transactions.flatMap((tx) => tx.calls.map((c) => c.line)));
    for (const call of fn.calls) {
      const target = index.resolveCallee(file, fn, call.callee);
      if (target && target !== key && !calls.has(target)) {
        calls.set(target, {
          key: target,
          line: call.line,
          inTransaction: transactionLines.has(call.line),
          awaited: call.awaited,
        });
      }
    }
    return [...calls.values()];
  };

  for (const m of inherited) {
    const method = m.fn.id.slice(m.base.fact.name.length + 1);
    const symbol = `${m.subclass.fact.name}.${method}`;
    const key = `${m.subclass.file}#${symbol}`;
    const fnAccesses = resolveAccesses(
      m.base.file,
      m.fn,
      (access) => {
        if (access.ref.kind !== 'this-field') return index.resolveTable(m.base.file, access.ref);
        const resolved = index.resolveThisField(m.chain, access.ref.name);
        if ('table' in resolved) resolvedBySubclass.add(access);
        return resolved;
      },
      {
        context: contextOf(m.subclass.file),
        symbol,
        viaSuffix: `inherited from ${m.base.fact.name}`,
      },
      () => undefined,
    );
    accesses.push(...fnAccesses);
    functions.set(key, {
      key,
      file: m.subclass.file,
      line: m.fn.line,
      symbol,
      context: contextOf(m.subclass.file),
      accesses: fnAccesses,
      calls: resolveCalls(m.base.file, m.fn, key),
    });
  }

  for (const [file, fileFacts] of facts) {
    for (const fn of fileFacts.functions) {
      const key = `${file}#${fn.id}`;
      const fnAccesses = resolveAccesses(
        file,
        fn,
        (access) => index.resolveTable(file, access.ref),
        { context: contextOf(file), symbol: fn.id },
        (access, reason) => unresolved.push({ file, fn, access, reason }),
      );
      accesses.push(...fnAccesses);
      functions.set(key, {
        key,
        file,
        line: fn.line,
        symbol: fn.id,
        context: contextOf(file),
        accesses: fnAccesses,
        calls: resolveCalls(file, fn, key),
      });
    }
  }
  for (const { file, fn, access, reason } of unresolved) {
    if (resolvedBySubclass.has(access)) continue;
    confidence.push({
      kind: 'unresolved-table',
      file,
      line: access.line,
      detail: `${fn.id}: table name ${describeRef(access.ref)} (${access.via}, ${access.mode}) not resolved: ${reason}`,
    });
  }

  const transactions = linkTransactions(input, index, functions);
  const files = [...facts.keys()].map((path) => ({ path, context: contextOf(path) }));
  const contexts = [
    ...new Set(files.map((f) => f.context).filter((c): c is string => c !== undefined)),
  ].sort();
  return {
    root: input.root,
    files,
    contexts,
    imports,
    accesses,
    functions,
    transactions,
    confidence,
    stats: {
      files: files.length,
      parsed: input.stats.parsed,
      reused: input.stats.reused,
      externalImports,
    },
  };
}
