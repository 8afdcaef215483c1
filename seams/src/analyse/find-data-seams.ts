import type { CodeModel } from '../model';
import type { DatabaseSchema } from '../schema/schema-model';
import { NEXT_STEPS, type Evidence, type Finding } from './findings-model';
import type { TableOwnership } from './ownership';

const callersByModel = new WeakMap<CodeModel, Map<string, string[]>>();

/** Functions calling each function: a query helper's readers are its callers too. */
function callersOf(model: CodeModel, key: string): string[] {
  let callers = callersByModel.get(model);
  if (!callers) {
    callers = new Map();
    for (const fn of model.functions.values()) {
      for (const call of fn.calls) {
        const list = callers.get(call.key);
        if (list) list.push(fn.symbol);
        else callers.set(call.key, [fn.symbol]);
      }
    }
    callersByModel.set(model, callers);
  }
  return callers.get(key) ?? [];
}

const accessIndexByModel = new WeakMap<CodeModel, Map<string, CodeModel['accesses']>>();

function accessesOf(model: CodeModel, context: string, table: string): CodeModel['accesses'] {
  let index = accessIndexByModel.get(model);
  if (!index) {
    index = new Map();
    for (const access of model.accesses) {
      const key = `${access.context}\0${access.table}`;
      const list = index.get(key);
      if (list) list.push(access);
      else index.set(key, [access]);
    }
    accessIndexByModel.set(model, index);
  }
  return index.get(`${context}\0${table}`) ?? [];
}

function accessEvidence(
  model: CodeModel,
  context: string,
  table: string,
  mode?: 'read' | 'write',
): Evidence[] {
  return accessesOf(model, context, table)
    .filter((a) => !mode || a.mode === mode)
    .map((a) => {
      const callers = callersOf(model, `${a.file}#${a.symbol}`).slice(0, 5);
      return { a, usedBy: callers.length > 0 ? `, used by ${callers.join(', ')}` : '' };
    })
    .map(({ a, usedBy }) => ({
      key: `${a.mode}|${context}|${table}|${a.file}|${a.symbol}`,
      detail: `${a.symbol} ${a.mode === 'write' ? 'writes' : 'reads'} ${table} (${a.via}${usedBy})`,
      file: a.file,
      line: a.line,
      symbol: a.symbol,
      table,
    }));
}

function dedupe(evidence: Evidence[]): Evidence[] {
  const seen = new Set<string>();
  return evidence.filter((e) => {
    if (seen.has(e.key)) return false;
    seen.add(e.key);
    return true;
  });
}

/** Tables read by a context that does not own them, grouped per (reader, owner). */
export function findForeignReads(model: CodeModel, ownership: TableOwnership[]): Finding[] {
  const groups = new Map<
    string,
    { from: string; to: string; tables: string[]; evidence: Evidence[] }
  >();
  for (const table of ownership) {
    if (!table.owner) continue;
    for (const reader of table.readers) {
      if (reader === table.owner || table.writers.includes(reader)) continue;
      const id = `${reader}->${table.owner}`;
      const group = groups.get(id) ?? { from: reader, to: table.owner, tables: [], evidence: [] };
      group.tables.push(table.table);
      group.evidence.push(...accessEvidence(model, reader, table.table, 'read'));
      groups.set(id, group);
    }
  }
  return [...groups.values()].map((g) => ({
    id: `foreign-table-read:${g.from}->${g.to}`,
    kind: 'foreign-table-read',
    from: g.from,
    to: g.to,
    contexts: [g.from, g.to],
    title: `${g.from} reads ${g.to}'s tables: ${g.tables.join(', ')}`,
    nextStep: NEXT_STEPS['foreign-table-read'],
    evidence: dedupe(g.evidence),
  }));
}

/** Tables written by more than one context. */
export function findSharedWrites(model: CodeModel, ownership: TableOwnership[]): Finding[] {
  return ownership
    .filter((t) => t.sharedWritten && t.owner)
    .flatMap((t) =>
      t.writers
        .filter((writer) => writer !== t.owner)
        .map((writer) => ({
          id: `shared-written:${t.table}:${writer}`,
          kind: 'shared-written' as const,
          from: writer,
          to: t.owner as string,
          contexts: [...t.writers],
          title: `${t.table} is also written by ${writer} (owner: ${t.owner}; writers: ${t.writers.join(', ')})`,
          nextStep: NEXT_STEPS['shared-written'],
          evidence: dedupe(accessEvidence(model, writer, t.table, 'write')),
        })),
    );
}

/** Tables no context writes but several read: reference data shared through the database. */
export function findSharedStaticData(
  model: CodeModel,
  ownership: TableOwnership[],
  schema: DatabaseSchema | undefined,
): Finding[] {
  return ownership
    .filter((t) => t.writers.length === 0 && !t.owner && !t.view && t.readers.length >= 2)
    .map((t) => {
      const keys = (schema?.foreignKeys ?? []).filter((k) => k.refTable === t.table);
      const fkEvidence: Evidence[] = keys.map((k) => ({
        key: `fk|${k.table}.${k.columns.join(',')}|${k.refTable}`,
        detail: `${k.table}.${k.columns.join(', ')} → ${k.refTable}.${k.refColumns.join(', ')}${k.implied ? ' (implied)' : ` ON DELETE ${k.onDelete}`}`,
        table: k.table,
      }));
      return {
        id: `shared-static-data:${t.table}`,
        kind: 'shared-static-data' as const,
        from: t.readers.join(', '),
        to: t.table,
        contexts: [...t.readers],
        title: `${t.table} is static reference data read by ${t.readers.length} contexts (${t.readers.join(', ')}) and written by none`,
        nextStep: NEXT_STEPS['shared-static-data'],
        evidence: dedupe([
          ...t.readers.flatMap((reader) => accessEvidence(model, reader, t.table)),
          ...fkEvidence,
        ]),
      };
    });
}

/** Foreign keys between tables owned by different contexts (declared or implied). */
export function findCrossContextKeys(
  model: CodeModel,
  ownership: TableOwnership[],
  schema: DatabaseSchema | undefined,
): Finding[] {
  if (!schema) return [];
  const ownerOf = new Map(ownership.map((t) => [t.table, t.owner]));
  const findings: Finding[] = [];
  for (const key of schema.foreignKeys) {
    const from = ownerOf.get(key.table);
    const to = ownerOf.get(key.refTable);
    if (!from || !to || from === to) continue;
    const description = `${key.table}.${key.columns.join(', ')} → ${key.refTable}.${key.refColumns.join(', ')}`;
    const codeEvidence = model.accesses
      .filter((a) => a.context === from && a.table === key.refTable)
      .map((a) => ({
        key: `${a.mode}|${from}|${key.refTable}|${a.file}|${a.symbol}`,
        detail: `${a.symbol} also ${a.mode === 'write' ? 'writes' : 'reads'} ${key.refTable} directly`,
        file: a.file,
        line: a.line,
        symbol: a.symbol,
        table: key.refTable,
      }));
    findings.push({
      id: `fk:${key.table}.${key.columns.join(',')}->${key.refTable}`,
      kind: 'fk',
      from,
      to,
      contexts: [from, to],
      title: `${key.implied ? 'implied ' : ''}foreign key ${description} (${from} → ${to}${key.implied ? '' : `, ON DELETE ${key.onDelete}`})`,
      nextStep: NEXT_STEPS.fk,
      evidence: dedupe([
        {
          key: `fk|${key.table}.${key.columns.join(',')}|${key.refTable}`,
          detail: `${description}${key.implied ? ' (implied by naming, not declared)' : ` ON DELETE ${key.onDelete}`}`,
          table: key.table,
        },
        ...codeEvidence,
      ]),
    });
  }
  return findings;
}
