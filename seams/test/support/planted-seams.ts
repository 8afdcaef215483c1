import fs from 'node:fs';

export interface PlantedSeam {
  number: string;
  kind: string;
  from: string[];
  to: string[];
  files: string[];
  /** Backticked tokens of the evidence clause: the evidence column up to its first "; " (the rest is commentary). */
  evidence: string[];
  /** Finding ids the row quotes anywhere (e.g. `fk:ledger_lines.album_id->albums`). */
  findingIds: string[];
}

const FINDING_ID =
  /^(fk|code-import|cross-context-transaction|shared-static-data|orchestration|foreign-table-read|shared-written|cycle):\S+$/;
const split = (cell: string) =>
  cell
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
const backticked = (cell: string) => [...cell.matchAll(/`([^`]+)`/g)].map((m) => m[1]);

/** Reads the "Planted seams" answer-key table of legacy-monolith/README.md. */
export function readPlantedSeams(readme: string): PlantedSeam[] {
  const text = fs.readFileSync(readme, 'utf8');
  const section = text.split(/^## Planted seams\s*$/m)[1]?.split(/^## /m)[0] ?? '';
  const rows = section.split('\n').filter((line) => /^\|\s*\d+\s*\|/.test(line));
  return rows.map((row) => {
    const cells = row
      .split(/(?<!\\)\|/)
      .slice(1, -1)
      .map((c) => c.trim());
    const [number, kind, from, to, files, evidence] = cells;
    return {
      number,
      kind,
      from: split(from),
      to: split(to),
      files: backticked(files),
      evidence: backticked(evidence.split('; ')[0]),
      findingIds: backticked(evidence).filter((token) => FINDING_ID.test(token)),
    };
  });
}
