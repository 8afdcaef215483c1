import type { TableRef } from './facts';

// Kept apart from table-refs (which needs the compiler): the linker uses it on cached facts.
/** A stable key for a reference, to compare CTE names with table names (undefined: not comparable). */
export function refKey(ref: TableRef): string | undefined {
  if (ref.kind === 'unknown') return undefined;
  return ref.kind === 'literal' ? describeRef(ref).toLowerCase() : describeRef(ref);
}

/** A reference as the code wrote it, for messages: `'orders'`, `TABLES.orders`, `this.table`. */
export function describeRef(ref: TableRef): string {
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
