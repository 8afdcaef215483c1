import type { TableRef } from './facts';

// Kept apart from table-refs (which needs the compiler): the linker uses it on cached facts.
/** A stable key for a reference, to compare CTE names with table names. */
export function refKey(ref: TableRef): string | undefined {
  switch (ref.kind) {
    case 'literal':
      return `'${ref.value.toLowerCase()}`;
    case 'identifier':
      return ref.name;
    case 'member':
      return `${ref.object}.${ref.name}`;
    case 'this-field':
      return `this.${ref.name}`;
    case 'unknown':
      return undefined;
  }
}
