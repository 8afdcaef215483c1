// `npm run bench:seams`: a synthetic ~2,000-file monolith, analysed in one run
// by dependency-cruiser and madge (imports only) and by seams (imports, table
// access, transactions, ranking): cold, then cached after changing one file.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { generateMonolith } from './generate-monolith';
import { measureCommand, type Measurement } from './measure-command';
import { scoreAttribution } from './score-attribution';

const REPO = path.resolve(__dirname, '..', '..');
const BIN = path.join(REPO, 'node_modules', '.bin');
const TSX_CJS = require.resolve('tsx/cjs');
const SEAMS_MAIN = path.join(REPO, 'seams', 'src', 'main.ts');
const TIMEOUT_MS = Number(process.env.BENCH_TIMEOUT_MS ?? 240_000);
const shape = {
  contexts: Number(process.env.BENCH_CONTEXTS ?? 20),
  filesPerContext: Number(process.env.BENCH_FILES_PER_CONTEXT ?? 100),
};

function seams(label: string, dir: string, extra: string[] = []): Measurement {
  const args = [
    '-r',
    TSX_CJS,
    SEAMS_MAIN,
    'seams',
    '--root',
    'src',
    '--cache-dir',
    path.join(dir, '.seams-cache'),
    '--format',
    'json',
    '--out',
    path.join(dir, 'out'),
    '--no-progress',
    ...extra,
  ];
  return measureCommand(label, process.execPath, args, { cwd: dir, timeoutMs: TIMEOUT_MS });
}

function printTable(rows: Measurement[], reference: Measurement): void {
  const line = (cells: string[]) =>
    `${cells[0].padEnd(40)} ${cells[1].padStart(8)} ${cells[2].padStart(8)} ${cells[3].padStart(9)} ${cells[4].padStart(11)} ${cells[5].padStart(10)}`;
  process.stdout.write(
    `${line(['run', 'wall s', 'cpu s', 'peak MB', 'wall ratio', 'cpu ratio'])}\n`,
  );
  for (const row of rows) {
    const ratio = (a: number, b: number) => (row.ok ? `${(a / b).toFixed(2)}×` : 'failed');
    process.stdout.write(
      `${line([row.label, row.seconds.toFixed(2), row.cpuSeconds.toFixed(2), row.peakMb.toFixed(0), ratio(row.seconds, reference.seconds), ratio(row.cpuSeconds, reference.cpuSeconds)])}${row.note ? `  (${row.note})` : ''}\n`,
    );
  }
}

function main(): void {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'seams-bench-'));
  try {
    const loadBefore = os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(' ');
    const { files, expected } = generateMonolith(dir, shape);
    process.stdout.write(
      `synthetic monolith: ${files} files (${shape.contexts} contexts × ${shape.filesPerContext}) in ${dir}\n`,
    );
    // Warm tsx's transform cache on a tiny tree so the first timed run does not pay for compiling seams itself.
    const warm = path.join(dir, 'warm');
    fs.mkdirSync(path.join(warm, 'src', 'a'), { recursive: true });
    fs.writeFileSync(path.join(warm, 'src', 'a', 'a.ts'), 'export const a = 1;\n');
    seams('warm-up', warm, ['--no-cache']);

    const depcruise = measureCommand(
      'dependency-cruiser 17 (imports only)',
      path.join(BIN, 'depcruise'),
      ['--no-config', '-T', 'json', '-f', path.join(dir, 'depcruise.json'), 'src'],
      { cwd: dir, timeoutMs: TIMEOUT_MS },
    );
    const madge = measureCommand(
      'madge 8 (imports only)',
      path.join(BIN, 'madge'),
      ['--extensions', 'ts', '--ts-config', 'tsconfig.json', '--json', 'src'],
      { cwd: dir, timeoutMs: TIMEOUT_MS },
    );
    const full = seams('seams full run (cold cache)', dir);
    const fullReport = JSON.parse(fs.readFileSync(path.join(dir, 'out', 'seams.json'), 'utf8'));
    const attribution = scoreAttribution(expected, fullReport.tableAccess);
    const nothing = seams('seams re-run, nothing changed', dir);
    const changed = path.join(dir, 'src', 'ctx03', 'service-011.ts');
    fs.appendFileSync(changed, "\nexport const touched = 'changed for the bench';\n");
    const cached = seams('seams re-run, one file changed', dir);

    process.stdout.write(
      `\nload average before/after: ${loadBefore} / ${os
        .loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')} on ${os.cpus().length} cores (ratios are against the seams full run)\n`,
    );
    printTable([depcruise, madge, full, nothing, cached], full);
    const report = JSON.parse(fs.readFileSync(path.join(dir, 'out', 'seams.json'), 'utf8'));
    const percent = (value: number) => `${(value * 100).toFixed(1)}%`;
    process.stdout.write(
      `\nseams found ${report.summary.crossContextImports} cross-context imports, ${report.summary.tables} tables, ${report.summary.findings} seams; ` +
        `last run parsed ${report.summary.parsed} file(s) and reused ${report.summary.reused}.\n` +
        `cached re-run after one change: ${(cached.seconds / full.seconds).toFixed(2)}× a full run in wall time, ${(cached.cpuSeconds / full.cpuSeconds).toFixed(2)}× in CPU time (target ≤ 0.30×).\n` +
        `full run vs madge: ${(full.seconds / madge.seconds).toFixed(2)}× the wall time, ${(full.cpuSeconds / madge.cpuSeconds).toFixed(2)}× the CPU time (target ≤ 0.75×); vs dependency-cruiser: ${(full.seconds / depcruise.seconds).toFixed(2)}×.\n` +
        `table attribution (context, file, function, table, mode) against the generator's known answer: precision ${percent(attribution.precision)}, recall ${percent(attribution.recall)} (${attribution.found} reported, ${attribution.expected} expected; target ≥ 95% each).\n` +
        attribution.falsePositives
          .slice(0, 5)
          .map((k) => `  reported but not expected: ${k}\n`)
          .join('') +
        attribution.falseNegatives
          .slice(0, 5)
          .map((k) => `  expected but missed: ${k}\n`)
          .join(''),
    );
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main();
