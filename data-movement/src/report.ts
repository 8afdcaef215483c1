import type { TableBackfill } from './backfill';
import type { Conflict, SyncResult } from './sync';
import type { TableVerdict } from './verify';

const n = (value: number) => value.toLocaleString('en-US');

export function formatBackfill(set: string, tables: TableBackfill[], seconds: number): string {
  const lines = tables.map((t) =>
    t.skipped
      ? `  ${t.table.padEnd(16)} already copied (${n(t.total)} rows in source)`
      : `  ${t.table.padEnd(16)} ${n(t.copied)} rows copied${t.resumedAfter !== null ? ` (resumed after key ${t.resumedAfter})` : ''}`,
  );
  const copied = tables.reduce((sum, t) => sum + t.copied, 0);
  return [
    `backfill ${set}:`,
    ...lines,
    `backfill ${set}: ${n(copied)} rows in ${seconds.toFixed(1)}s`,
  ].join('\n');
}

export function formatConflicts(conflicts: Conflict[]): string[] {
  if (conflicts.length === 0) return [];
  return [
    `  conflicts (rows changed on the side that does not own the data; sync never overwrites them): ${n(conflicts.length)}`,
    ...conflicts
      .slice(0, 20)
      .map(
        (c) =>
          `    ${c.table} ${c.key}\n      owner:      ${JSON.stringify(c.owner)}\n      other side: ${JSON.stringify(c.other)}`,
      ),
  ];
}

export function formatVerify(
  set: string,
  verdicts: TableVerdict[],
  conflicts: Conflict[] = [],
  sides = 'source / target',
): string {
  const lines = verdicts.map((v) => {
    const head = `  ${v.table.padEnd(16)} rows ${n(v.sourceRows)} / ${n(v.targetRows)}  checksum ${v.sourceChecksum} / ${v.targetChecksum}`;
    if (v.equal) return `${head}  identical`;
    const kinds = [
      [v.missingInTarget, 'missing in target'],
      [v.extraInTarget, 'only in target'],
      [v.changed, 'changed'],
    ] as const;
    const detail = kinds
      .filter(([keys]) => keys.length > 0)
      .map(([keys, label]) => `    ${label}: ${keys.join(', ')}`);
    return [`${head}  DIFFERENT (${n(v.differences)} keys)`, ...detail].join('\n');
  });
  const differing = verdicts.filter((v) => !v.equal).length;
  const summary = [
    differing === 0 ? 'all tables identical' : `${differing} of ${verdicts.length} tables differ`,
    ...(conflicts.length > 0 ? [`${conflicts.length} conflicts`] : []),
  ].join(', ');
  return [
    `verify ${set} (${sides}):`,
    ...lines,
    ...formatConflicts(conflicts),
    `verify ${set}: ${summary}`,
  ].join('\n');
}

export function formatSync(set: string, direction: string, result: SyncResult): string {
  return `sync ${set} (${direction}): applied ${n(result.applied)} changes; lag ${n(result.pending)} pending, oldest ${result.oldestPendingSeconds.toFixed(1)}s${result.pruned > 0 ? `; pruned ${n(result.pruned)} applied change rows` : ''}`;
}
