export type FindingKind =
  | 'fk'
  | 'code-import'
  | 'cross-context-transaction'
  | 'shared-static-data'
  | 'orchestration'
  | 'foreign-table-read'
  | 'shared-written'
  | 'cycle';

/** The standard next step for each kind of seam (Building Microservices, ch. 4–5). */
export const NEXT_STEPS: Record<FindingKind, string> = {
  fk: 'move the relationship into code: drop the foreign key and fetch the other side through an API call',
  'code-import':
    "depend on the other context's public interface (its index), then on an API call once it is extracted",
  'cross-context-transaction':
    'replace the transaction with a saga: local transactions plus compensating actions',
  'shared-static-data':
    'move the static data into configuration or code (or a small reference-data service)',
  orchestration:
    'turn the synchronous calls into choreography: publish an event and let each step subscribe',
  'foreign-table-read':
    'replace the direct read with an API call to the owning context (or a database view as a stopgap)',
  'shared-written': 'split the table so each context writes only its own part',
  cycle:
    'break the cycle first: invert one dependency (events, an interface in the caller) before extracting either side',
};

export interface Evidence {
  /** Stable identity for the baseline gate: no line numbers in it. */
  key: string;
  detail: string;
  file?: string;
  line?: number;
  symbol?: string;
  table?: string;
}

export interface Finding {
  id: string;
  kind: FindingKind;
  from: string;
  to: string;
  /** Every context involved (for cycles and shared data, more than two). */
  contexts: string[];
  title: string;
  nextStep: string;
  evidence: Evidence[];
}
