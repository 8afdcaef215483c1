import { EventEmitter } from 'node:events';
import fs from 'node:fs';
import path from 'node:path';
import { type Command, Option } from 'commander';
import { EXIT, runAction } from '../../common/src/cli';
import { createProgress, type Progress } from '../../common/src/progress';
import { analyseSeams } from './analyse-seams';
import { planExtraction } from './analyse/plan-extraction';
import { SeamsError } from './errors';
import { FORMATS, type Format } from './options';
import { renderPlan } from './report/plan';
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

const PLAN_FORMATS = ['text', 'md', 'json'];

/** `seams plan <context>`: the only action; anything else is bad usage (exit 2). */
function parsePlanArguments(
  action: string | undefined,
  context: string | undefined,
  format: string,
): { context: string; format: string } | undefined {
  if (action === undefined) return undefined;
  if (action !== 'plan' || !context)
    throw new SeamsError(
      'ERR_SEAMS_OPTIONS',
      action !== 'plan'
        ? `seams: unknown action "${action}"; the one action is "plan <context>", e.g. strangler seams plan billing --root src`
        : 'seams plan: name the context to extract, e.g. strangler seams plan billing --root src',
    );
  if (!PLAN_FORMATS.includes(format))
    throw new SeamsError(
      'ERR_SEAMS_OPTIONS',
      `seams plan: --format ${format} is not a plan format (known: ${PLAN_FORMATS.join(', ')})`,
    );
  return { context, format };
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
    .command('seams [action] [context]')
    .description(
      'find the seams of a codebase and its database, and an extraction order; "seams plan <context>" lists what to cut to extract one',
    )
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
      runAction(
        async (action: string | undefined, context: string | undefined, options: CliOptions) => {
          const plan = parsePlanArguments(action, context, options.format);
          const events = new EventEmitter();
          if (options.progress) showProgress(events);
          const formats = (plan ? ['text'] : options.format.split(','))
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
          if (plan) {
            const output = renderPlan(planExtraction(report, plan.context), plan.format);
            if (options.out) {
              const file = path.join(
                path.resolve(options.out),
                `plan-${plan.context}.${plan.format === 'text' ? 'txt' : plan.format}`,
              );
              fs.mkdirSync(path.dirname(file), { recursive: true });
              fs.writeFileSync(file, output);
              process.stderr.write(`seams: wrote ${path.relative(process.cwd(), file)}\n`);
            }
            process.stdout.write(output);
            return EXIT.ok;
          }
          writeOutputs(report, formats, options.out ? path.resolve(options.out) : undefined);
          return report.exitCode;
        },
      ),
    );
}
