import type { AccessFact, CallFact, CalleeRef, FunctionFact } from './facts';
import type { LinkInput } from './link-model';
import type { SymbolIndex } from './symbol-index';
import { refKey } from './table-ref-key';
import type { FunctionNode, Transaction, TransactionTable } from '../model';

interface Body {
  file: string;
  fn: FunctionFact;
  accesses: readonly AccessFact[];
  calls: readonly CallFact[];
  /** A named function run as the body (`withTransaction(db, placeOrderSteps)`). */
  ref?: CalleeRef;
}

/**
 * The tables a transaction body reaches: its own accesses, then the functions it
 * calls, followed transitively up to `maxDepth` calls deep.
 */
function tablesOfBody(
  body: Body,
  input: LinkInput,
  index: SymbolIndex,
  functions: ReadonlyMap<string, FunctionNode>,
): TransactionTable[] {
  const { file, fn } = body;
  const tables: TransactionTable[] = [];
  const seen = new Set<string>();
  const add = (entry: TransactionTable) => {
    const id = `${entry.table}|${entry.mode}|${entry.file}|${entry.line}`;
    if (seen.has(id)) return;
    seen.add(id);
    tables.push(entry);
  };
  const ctes = new Set(fn.cteNames ?? []);
  for (const access of body.accesses) {
    const key = refKey(access.ref);
    if (key && ctes.has(key)) continue;
    const resolved = index.resolveTable(file, access.ref);
    if ('table' in resolved)
      add({
        table: resolved.table,
        mode: access.mode,
        context: input.contextOf(file),
        file,
        line: access.line,
        path: [fn.id],
      });
  }
  const starts = [...body.calls.map((call) => call.callee), ...(body.ref ? [body.ref] : [])];
  const visited = new Set<string>();
  let frontier = starts
    .map((callee) => index.resolveCallee(file, fn, callee))
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
      for (const access of node.accesses)
        add({
          table: access.table,
          mode: access.mode,
          context: access.context,
          file: access.file,
          line: access.line,
          path: here,
        });
      for (const call of node.calls) next.push({ key: call.key, path: here });
    }
    frontier = next;
  }
  return tables;
}

/** A wrapper named in seams.yaml: by function name, or `Class.method`, or its last part. */
function isConfiguredWrapper(input: LinkInput, text: string, resolvedId?: string): boolean {
  const names = input.transactionWrappers ?? [];
  const last = text.split('.').pop() ?? text;
  return names.some((name) => name === text || name === last || name === resolvedId);
}

/**
 * Every transaction of the codebase with the tables its body reaches:
 * `db.transaction(cb)` on knex; a method wrapping knex's `.transaction`; a
 * project's own wrapper that opens a knex transaction and runs a callback inside
 * (`withTransaction(db, async (tx) => …)`, `this.transactional(fn)`); and
 * wrappers named in seams.yaml.
 */
export function linkTransactions(
  input: LinkInput,
  index: SymbolIndex,
  functions: ReadonlyMap<string, FunctionNode>,
): Transaction[] {
  const { facts, contextOf } = input;
  const factsByKey = new Map<string, { file: string; fn: FunctionFact }>();
  for (const [file, fileFacts] of facts)
    for (const fn of fileFacts.functions) factsByKey.set(`${file}#${fn.id}`, { file, fn });
  const wrapperOf = (key: string | undefined): Transaction['wrapper'] => {
    const wrapped = key ? factsByKey.get(key) : undefined;
    if (!wrapped?.fn.knexTransaction) return undefined;
    return {
      symbol: wrapped.fn.id,
      file: wrapped.file,
      line: wrapped.fn.line,
      knexCall: wrapped.fn.knexTransaction,
    };
  };

  const transactions: Transaction[] = [];
  for (const [file, fileFacts] of facts) {
    for (const fn of fileFacts.functions) {
      for (const tx of fn.transactions) {
        let confidence: Transaction['confidence'] = 'knex';
        let wrapper: Transaction['wrapper'];
        if (!tx.knexReceiver) {
          const key = tx.callee && index.resolveCallee(file, fn, tx.callee);
          if (key) {
            wrapper = wrapperOf(key);
            if (!wrapper) continue;
            confidence = 'wrapper';
          } else confidence = 'name-only';
        }
        transactions.push({
          file,
          line: tx.line,
          context: contextOf(file),
          symbol: fn.id,
          text: tx.text,
          confidence,
          ...(wrapper ? { wrapper } : {}),
          tables: tablesOfBody(
            { file, fn, accesses: tx.accesses, calls: tx.calls },
            input,
            index,
            functions,
          ),
        });
      }
      for (const callback of fn.callbacks ?? []) {
        const key = index.resolveCallee(file, fn, callback.callee);
        const wrapped = key ? factsByKey.get(key) : undefined;
        const runsCallback =
          wrapped?.fn.transactionCallbackParam !== undefined &&
          wrapped.fn.transactionCallbackParam === callback.argIndex;
        const configured = isConfiguredWrapper(input, callback.text, wrapped?.fn.id);
        if (!runsCallback && !configured) continue;
        const wrapper = runsCallback ? wrapperOf(key) : undefined;
        transactions.push({
          file,
          line: callback.line,
          context: contextOf(file),
          symbol: fn.id,
          text: callback.text,
          confidence: runsCallback ? 'wrapper' : 'configured',
          ...(wrapper ? { wrapper } : {}),
          tables: tablesOfBody(
            {
              file,
              fn,
              accesses: fn.accesses.slice(...callback.accesses),
              calls: fn.calls.slice(...callback.calls),
              ref: callback.ref,
            },
            input,
            index,
            functions,
          ),
        });
      }
    }
  }
  return transactions;
}
