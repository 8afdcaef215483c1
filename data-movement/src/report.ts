import type { TableBackfill } from './backfill';
import type { SyncResult } from './sync';
import type { TableVerdict } from './verify';

const n = (value: number) => value.toLocaleString('en-US');

export function formatBackfill(service: string, tables: TableBackfill[], seconds: number): string {
  const lines = tables.map((t) =>
    t.skipped
      ? `  ${t.table.padEnd(16)} already copied (${n(t.total)} rows in source)`
      : `  ${t.table.padEnd(16)} ${n(t.copied)} rows copied${t.resumedAfter !== null ? ` (resumed after key ${t.resumedAfter})` : ''}`,
  );
  const copied = tables.reduce((sum, t) => sum + t.copied, 0);
  return [
    `backfill ${service}:`,
    ...lines,
    `backfill ${service}: ${n(copied)} rows in ${seconds.toFixed(1)}s`,
  ].join('\n');
}

export function formatVerify(service: string, verdicts: TableVerdict[]): string {
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
  const summary =
    differing === 0 ? 'all tables identical' : `${differing} of ${verdicts.length} tables differ`;
  return [`verify ${service} (source / target):`, ...lines, `verify ${service}: ${summary}`].join(
    '\n',
  );
}

export function formatSync(service: string, result: SyncResult): string {
  return `sync ${service}: applied ${n(result.applied)} changes; lag ${n(result.pending)} pending, oldest ${result.oldestPendingSeconds.toFixed(1)}s`;
}
