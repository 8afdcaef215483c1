import type { SeamsReport } from '../seams-report';

/** What a reporter renders; the exit code is the analysis's (`report.exitCode`), not the format's. */
export interface ReporterResult {
  output: string;
}

export type Reporter = (report: SeamsReport) => ReporterResult;

export function countBy<T>(items: readonly T[], key: (item: T) => string): Array<[string, number]> {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(key(item), (counts.get(key(item)) ?? 0) + 1);
  return [...counts];
}

export function describeTerms(entry: SeamsReport['ranking'][number]): string {
  return (
    entry.terms.map((t) => `${t.metric} ${t.value}×${t.weight}`).join(', ') || 'no coupling found'
  );
}

/** An edge of the context graph as a label: `3 runtime, 1 type` (kinds with no import left out). */
export function describeImportKinds(edge: SeamsReport['contextGraph'][number]): string {
  return [
    edge.runtime && `${edge.runtime} runtime`,
    edge.typeOnly && `${edge.typeOnly} type`,
    edge.dynamic && `${edge.dynamic} dynamic`,
  ]
    .filter(Boolean)
    .join(', ');
}
