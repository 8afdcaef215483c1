/** What differed. `missing`: only the primary (a) has it; `extra`: only the candidate (b) has it. */
export type DifferenceKind = 'status' | 'header' | 'value' | 'type' | 'missing' | 'extra';

/**
 * One difference between the primary's answer (a) and the candidate's (b).
 * `path` is concrete (`$.items[id=7].price`, `headers.etag`, `status`);
 * `field` collapses array positions (`$.items[*].price`) for counting and noise.
 */
export interface Difference {
  path: string;
  field: string;
  kind: DifferenceKind;
  a: unknown;
  b: unknown;
}

export interface Comparison {
  match: boolean;
  differences: Difference[];
  /** More differences existed than `maxDifferences`; the list is the first ones found. */
  truncated: boolean;
}
