import fs from 'node:fs';
import path from 'node:path';
import {
  describeEachEngine,
  createMigratedDatabase,
  type MigratedDatabase,
} from '../../test/support/engines';
import { analyseSeams } from '../src/analyse-seams';
import { discoverFiles } from '../src/extract/discover-files';
import { parseFile } from '../src/extract/parse-file';
import type { Finding } from '../src/analyse/findings-model';
import type { SeamsReport } from '../src/seams-report';
import { readPlantedSeams, type PlantedSeam } from './support/planted-seams';

const REPO = path.resolve(__dirname, '..', '..');
const ROOT = path.join(REPO, 'legacy-monolith', 'src');
const ALL_ROWS = readPlantedSeams(path.join(REPO, 'legacy-monolith', 'README.md'));
// Rows marked "(undone)" record a seam an exercise removed: it must be gone from the output.
const SEAMS = ALL_ROWS.filter((row) => row.kind !== '(undone)');
const UNDONE = ALL_ROWS.filter((row) => row.kind === '(undone)');

/** Every function id of the monolith and the file defining it ('Class.method' and bare names). */
function monolithSymbols(): Map<string, string> {
  const symbols = new Map<string, string>();
  for (const file of discoverFiles(ROOT, [])) {
    for (const fn of parseFile(file, fs.readFileSync(path.join(ROOT, file), 'utf8')).functions) {
      symbols.set(fn.id, file);
      symbols.set(fn.id.split('.').pop() as string, file);
    }
  }
  return symbols;
}

function matchingFindings(report: SeamsReport, seam: PlantedSeam): Finding[] {
  const same = (a: string[], b: string[]) => a.length === b.length && a.every((x) => b.includes(x));
  return report.findings.filter((f) => {
    if (f.kind !== seam.kind) return false;
    if (seam.kind === 'cycle') return same(f.contexts, [...seam.from, ...seam.to]);
    if (seam.kind === 'shared-static-data')
      return same(f.contexts, seam.from) && seam.to.includes(f.to);
    if (seam.kind === 'orchestration') return seam.from.includes(f.from);
    return seam.from.includes(f.from) && seam.to.includes(f.to);
  });
}

describeEachEngine('the planted seams of legacy-monolith/README.md', (engine) => {
  let database: MigratedDatabase;
  let report: SeamsReport;
  let symbols: Map<string, string>;

  beforeAll(async () => {
    database = await createMigratedDatabase(engine, 'legacy-monolith', 'seams-monolith');
    const db = database.db;
    await db.destroy();
    report = await analyseSeams({
      root: ROOT,
      config: path.join(REPO, 'legacy-monolith', 'seams.yaml'),
      db: database.url,
      cache: false,
    });
    symbols = monolithSymbols();
  });

  afterAll(() => database?.cleanup());

  it('lists the seven planted seams (and the extra foreign read) in the answer key', () => {
    expect(SEAMS.map((s) => s.number)).toEqual(
      expect.arrayContaining(['1', '2', '3', '4', '5', '6', '7']),
    );
  });

  it.each(
    SEAMS.map(
      (seam) =>
        [
          `${seam.number} ${seam.kind} ${seam.from.join(', ')} → ${seam.to.join(', ')}`,
          seam,
        ] as const,
    ),
  )('finds seam %s with its evidence', (_title, seam) => {
    const found = matchingFindings(report, seam);
    expect(found.length).toBeGreaterThan(0);
    for (const id of seam.findingIds) expect(report.findings.map((f) => f.id)).toContain(id);
    if (
      seam.kind !== 'orchestration' &&
      seam.kind !== 'shared-static-data' &&
      seam.kind !== 'cycle'
    ) {
      for (const to of seam.to) expect(found.some((f) => f.to === to)).toBe(true);
    }
    const text = found
      .flatMap((f) => [
        f.title,
        ...f.evidence.flatMap((e) => [e.detail, e.symbol ?? '', e.table ?? '', e.file ?? '']),
      ])
      .join('\n');
    const tables = new Set(report.tables.map((t) => t.table));
    // Only tokens that name something checkable: a table, table.column, a function, a file of the tree.
    const atoms = seam.evidence.flatMap(
      (token) => token.match(/[\w-]+\/[\w./-]+\.ts|[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*/g) ?? [],
    );
    const checkable = atoms.filter(
      (atom) =>
        tables.has(atom) ||
        tables.has(atom.split('.')[0]) ||
        symbols.has(atom) ||
        fs.existsSync(path.join(ROOT, atom)),
    );
    expect(checkable.length).toBeGreaterThan(0);
    for (const atom of checkable)
      expect({ atom, found: text.includes(atom) }).toEqual({ atom, found: true });
    // A key lives in the schema; for code seams at least one listed source file carries the evidence.
    const listed = seam.files
      .filter((f) => f.startsWith('legacy-monolith/src/'))
      .map((f) => f.slice('legacy-monolith/src/'.length));
    if (seam.kind !== 'fk' && listed.length > 0) {
      const mentioned = new Set(found.flatMap((f) => f.evidence.map((e) => e.file)));
      for (const [symbol, file] of symbols) if (text.includes(symbol)) mentioned.add(file);
      expect(listed.filter((file) => mentioned.has(file))).not.toEqual([]);
    }
  });

  // Rows marked (undone) in the README exist only once an extraction step has removed them.
  if (UNDONE.length > 0) {
    it.each(
      UNDONE.map(
        (row) => [`${row.number} ${row.from.join(', ')} → ${row.to.join(', ')}`, row] as const,
      ),
    )('when seam %s is undone, then it is no longer reported as a table read', (_title, row) => {
      expect(
        report.findings.filter(
          (f) =>
            f.kind === 'foreign-table-read' && row.from.includes(f.from) && row.to.includes(f.to),
        ),
      ).toEqual([]);
    });
  }

  it('ranks every context with a transparent score and a next step for each of its seams', () => {
    expect(report.ranking.map((r) => r.context).sort()).toEqual([
      'catalog',
      'customer',
      'finance',
      'recommendation',
      'warehouse',
    ]);
    for (const entry of report.ranking) {
      expect(entry.score).toBe(entry.terms.reduce((sum, t) => sum + t.value * t.weight, 0));
      for (const seam of entry.seams) expect(seam.nextStep.length).toBeGreaterThan(10);
    }
    expect(report.confidence).toEqual([]);
  });
});
