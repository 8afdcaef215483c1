import { EventEmitter } from 'node:events';
import fs from 'node:fs';
import path from 'node:path';
import { type Command, Option } from 'commander';
import { runAction } from '../../common/src/cli';
import { createProgress, type Progress } from '../../common/src/progress';
import { analyseSeams } from './analyse-seams';
import { FORMATS, type Format } from './options';
import { REPORTERS } from './report/reporters';

interface CliOptions {
  root: string;
  config?: string;
  tsconfig?: string;
  db?: string;
  format: string;
  out?: string;
  baseline?: string;
  updateBaseline?: boolean;
  failOn?: 'new' | 'any' | 'rules';
  cache: boolean;
  cacheDir?: string;
  schemaspy?: boolean;
  progress: boolean;
}

const PROGRESS_FROM_FILES = 200;

function showProgress(events: EventEmitter): void {
  let bar: Progress | undefined;
  events.on('phase', (phase: { name: string; files?: number }) => {
    if (phase.name === 'extract' && (phase.files ?? 0) >= PROGRESS_FROM_FILES)
      bar = createProgress('seams: extract', phase.files ?? 0);
  });
  events.on('progress', (p: { done: number; total: number }) => {
    bar?.tick(p.done);
    if (bar && p.done === p.total) {
      bar.finish();
      bar = undefined;
    }
  });
}

/** Renders every requested format: to files under --out, else to stdout. */
function writeOutputs(
  report: Awaited<ReturnType<typeof analyseSeams>>,
  formats: Format[],
  out: string | undefined,
): void {
  for (const format of formats) {
    const { render, file } = REPORTERS[format];
    const { output } = render(report);
    if (out) {
      fs.mkdirSync(out, { recursive: true });
      fs.writeFileSync(path.join(out, file), output);
      if (format === 'text') process.stdout.write(output);
      else
        process.stderr.write(
          `seams: wrote ${path.relative(process.cwd(), path.join(out, file))}\n`,
        );
    } else process.stdout.write(output);
  }
}

/**
 * Registers `strangler seams`: code dependencies joined with table access and
 * the live schema. Exit 0 clean, 1 findings against the gate (rules, baseline,
 * --fail-on), 2 bad usage or configuration.
 *
 * @example registerSeamsCommands(program) // strangler seams --root src --db data/app.sqlite --format text,html --out reports
 */
export function registerSeamsCommands(program: Command): void {
  program
    .command('seams')
    .description('find the seams of a codebase and its database, and an extraction order')
    .requiredOption(
      '--root <dir>',
      'source folder to analyse; without --config each top-level folder is a context',
    )
    .option('--config <file>', 'seams config (YAML): contexts, exclude, forbidden import rules')
    .option(
      '--tsconfig <file>',
      'tsconfig for paths/baseUrl (default: the nearest tsconfig.json above --root)',
    )
    .option('--db <url>', 'live schema: an SQLite file or a postgres:// URL')
    .option('--format <list>', `comma-separated: ${FORMATS.join(', ')}`, 'text')
    .option('--out <dir>', 'write each format to a file in this folder')
    .option('--baseline <file>', 'known cross-context edges; new ones make the run exit 1')
    .option('--update-baseline', 'record the current edges in --baseline')
    .addOption(
      new Option(
        '--fail-on <which>',
        'exit 1 on new seams (against --baseline), any seam, or rule violations only',
      ).choices(['new', 'any', 'rules']),
    )
    .option('--no-cache', 'ignore and do not write the per-file cache')
    .option('--cache-dir <dir>', 'where the per-file cache lives', '.seams-cache')
    .option('--schemaspy', 'also run SchemaSpy when installed (schemaspy on PATH or SCHEMASPY_JAR)')
    .option('--no-progress', 'no progress bar on stderr')
    .action(
      runAction(async (options: CliOptions) => {
        const events = new EventEmitter();
        if (options.progress) showProgress(events);
        const formats = options.format
          .split(',')
          .map((f) => f.trim())
          .filter(Boolean) as Format[];
        const report = await analyseSeams(
          {
            root: options.root,
            config: options.config,
            tsconfig: options.tsconfig,
            db: options.db,
            format: formats,
            out: options.out,
            baseline: options.baseline,
            updateBaseline: Boolean(options.updateBaseline),
            failOn: options.failOn,
            cache: options.cache,
            cacheDir: options.cacheDir,
            schemaspy: Boolean(options.schemaspy),
          },
          events,
        );
        writeOutputs(report, formats, options.out ? path.resolve(options.out) : undefined);
        return report.exitCode;
      }),
    );
}
