import type { AccessFact, FileFacts, FunctionFact, TableRef } from './facts';
import type { ModuleResolver } from './resolve-modules';
import { SymbolIndex } from './symbol-index';
import type {
  CodeModel,
  ConfidenceItem,
  FunctionNode,
  ImportEdge,
  TableAccess,
  Transaction,
  TransactionTable,
} from '../model';

export interface LinkInput {
  root: string;
  facts: ReadonlyMap<string, FileFacts>;
  resolver: ModuleResolver;
  contextOf: (file: string) => string | undefined;
  maxDepth: number;
  stats: { parsed: number; reused: number };
}

function describeRef(ref: TableRef): string {
  switch (ref.kind) {
    case 'literal':
      return `'${ref.value}'`;
    case 'identifier':
      return ref.name;
    case 'member':
      return `${ref.object}.${ref.name}`;
    case 'this-field':
      return `this.${ref.name}`;
    case 'unknown':
      return ref.text;
  }
}

const looksLocal = (specifier: string) => /^(\.|\/|~|@\/|#)/.test(specifier);

/**
 * Joins the per-file facts into one model: resolved import edges (through
 * barrels), table accesses with resolved names, the call graph, and every
 * transaction with the tables its body reaches through calls.
 */
export function linkModel(input: LinkInput): CodeModel {
  const { facts, resolver, contextOf } = input;
  const index = new SymbolIndex(facts, input.resolver);
  const confidence: ConfidenceItem[] = [];
  const imports: ImportEdge[] = [];
  let externalImports = 0;

  for (const [file, fileFacts] of facts) {
    for (const error of fileFacts.parseErrors)
      confidence.push({ kind: 'parse-error', file, line: error.line, detail: error.message });
    for (const imp of fileFacts.imports) {
      const resolution = resolver.resolve(file, imp.specifier);
      if (resolution.kind === 'builtin') continue;
      if (resolution.kind === 'external') {
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
        const to = def?.file ?? target;
        groups.set(to, [...(groups.get(to) ?? []), name]);
      }
      for (const [to, groupNames] of groups) {
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
        });
      }
    }
  }

  const functions = new Map<string, FunctionNode>();
  const accesses: TableAccess[] = [];
  const resolveAccess = (
    file: string,
    fn: FunctionFact,
    access: AccessFact,
  ): TableAccess | undefined => {
    const table = index.resolveTable(file, access.ref);
    if (table === undefined) {
      confidence.push({
        kind: 'unresolved-table',
        file,
        line: access.line,
        detail: `${fn.id}: table name ${describeRef(access.ref)} (${access.via}, ${access.mode}) is not a constant this analysis can resolve`,
      });
      return undefined;
    }
    return {
      table,
      mode: access.mode,
      file,
      line: access.line,
      context: contextOf(file),
      symbol: fn.id,
      via: access.via,
    };
  };
  const factsByKey = new Map<string, { file: string; fn: FunctionFact }>();
  for (const [file, fileFacts] of facts) {
    for (const fn of fileFacts.functions) {
      const key = `${file}#${fn.id}`;
      factsByKey.set(key, { file, fn });
      const fnAccesses = fn.accesses
        .map((a) => resolveAccess(file, fn, a))
        .filter((a): a is TableAccess => a !== undefined);
      accesses.push(...fnAccesses);
      const calls = new Map<string, FunctionNode['calls'][number]>();
      const transactionLines = new Set(
        fn.transactions.flatMap((tx) => tx.calls.map((c) => c.line)),
      );
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
      functions.set(key, {
        key,
        file,
        line: fn.line,
        symbol: fn.id,
        context: contextOf(file),
        accesses: fnAccesses,
        calls: [...calls.values()],
      });
    }
  }

  const transactions: Transaction[] = [];
  for (const [file, fileFacts] of facts) {
    for (const fn of fileFacts.functions) {
      for (const tx of fn.transactions) {
        let confidenceLevel: Transaction['confidence'] = 'knex';
        let wrapperInfo: Transaction['wrapper'];
        if (!tx.knexReceiver) {
          const wrapper = tx.callee && index.resolveCallee(file, fn, tx.callee);
          if (wrapper) {
            const wrapped = factsByKey.get(wrapper);
            if (!wrapped?.fn.knexTransaction) continue;
            confidenceLevel = 'wrapper';
            wrapperInfo = {
              symbol: wrapped.fn.id,
              file: wrapped.file,
              line: wrapped.fn.line,
              knexCall: wrapped.fn.knexTransaction,
            };
          } else confidenceLevel = 'name-only';
        }
        const tables: TransactionTable[] = [];
        const seen = new Set<string>();
        const add = (access: TableAccess, path: string[]) => {
          const id = `${access.table}|${access.mode}|${access.file}|${access.line}`;
          if (seen.has(id)) return;
          seen.add(id);
          tables.push({
            table: access.table,
            mode: access.mode,
            context: access.context,
            file: access.file,
            line: access.line,
            path,
          });
        };
        for (const access of tx.accesses) {
          const resolved = index.resolveTable(file, access.ref);
          if (resolved)
            add(
              {
                table: resolved,
                mode: access.mode,
                file,
                line: access.line,
                context: contextOf(file),
                symbol: fn.id,
                via: access.via,
              },
              [fn.id],
            );
        }
        const visited = new Set<string>();
        let frontier = tx.calls
          .map((call) => index.resolveCallee(file, fn, call.callee))
          .filter((k): k is string => k !== undefined)
          .map((k) => ({ key: k, path: [fn.id] }));
        for (let depth = 0; depth < input.maxDepth && frontier.length > 0; depth += 1) {
          const next: typeof frontier = [];
          for (const { key, path } of frontier) {
            if (visited.has(key)) continue;
            visited.add(key);
            const node = functions.get(key);
            if (!node) continue;
            const here = [...path, node.symbol];
            for (const access of node.accesses) add(access, here);
            for (const call of node.calls) next.push({ key: call.key, path: here });
          }
          frontier = next;
        }
        transactions.push({
          file,
          line: tx.line,
          context: contextOf(file),
          symbol: fn.id,
          text: tx.text,
          confidence: confidenceLevel,
          ...(wrapperInfo ? { wrapper: wrapperInfo } : {}),
          tables,
        });
      }
    }
  }

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
