import type { Command } from 'commander';
import { EXIT, runAction, UsageError } from '../../common/src/cli';
import { redactUrl } from '../../common/src/database';
import { backfillFlow } from './backfill';
import { installCapture, uninstallCapture } from './change-capture';
import { registerHandoverCommand } from './handover/handover-command';
import { type OwnedFlow, openOwnedFlow, reorient } from './owned-flow';
import { formatBackfill, formatSync, formatVerify } from './report';
import { DEFAULT_SPEC_FILE, findDataSet, loadSpec } from './spec/load-spec';
import { findConflicts, syncFlow } from './sync';
import { verifyFlow } from './verify';

export interface CommonOptions {
  spec?: string;
  routes?: string;
  source?: string;
  target?: string;
  batchSize?: string;
}

export function parsePositive(name: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined) return fallback;
  if (!/^[1-9][0-9]*$/.test(raw))
    throw new UsageError(`--${name} must be a positive integer (example: --${name} 5000)`);
  return Number(raw);
}

async function withFlow(
  name: string,
  options: CommonOptions,
  work: (owned: OwnedFlow) => Promise<number>,
) {
  const set = findDataSet(loadSpec(options.spec ?? DEFAULT_SPEC_FILE), name);
  const owned = await openOwnedFlow(set, options, options.routes);
  const where = (t: { engine: string; location: string }) => `${t.engine} ${redactUrl(t.location)}`;
  process.stderr.write(
    `${set.name} (${owned.direction}): ${where(owned.endpoints.sourceTarget)} → ${where(owned.endpoints.targetTarget)}\n`,
  );
  try {
    return await work(owned);
  } finally {
    await owned.open.close();
  }
}

export function addCommon(command: Command): Command {
  return command
    .option(
      '--spec <file>',
      'data-movement spec (default: data-movement.yaml at the repository root)',
    )
    .option('--routes <file>', "the proxy's routes file (default: the spec's routes:)")
    .option('--source <url>', "the spec's source database (default: its env variable or default)")
    .option('--target <url>', "the spec's target database (default: its env variable or default)")
    .option('--batch-size <n>', 'rows per batch');
}

/** `strangler data backfill|verify|sync|handover <set>`: moving a data set between a monolith and a service. */
export function registerDataCommands(program: Command): void {
  const data = program
    .command('data')
    .description(
      'copy, compare, keep in sync and hand over the data sets named in data-movement.yaml',
    );

  addCommon(
    data
      .command('backfill <set>')
      .description('copy the tables from the owner in resumable keyset batches (progress + ETA)'),
  )
    .option('--restart', 'ignore checkpoints and copy everything again')
    .action(
      runAction(async (name: string, options: CommonOptions & { restart?: boolean }) =>
        withFlow(name, options, async ({ endpoints, flow }) => {
          const started = Date.now();
          const tables = await backfillFlow(endpoints, flow, {
            batchSize: parsePositive('batch-size', options.batchSize, 5000),
            restart: options.restart,
          });
          process.stdout.write(
            `${formatBackfill(flow.set, tables, (Date.now() - started) / 1000)}\n`,
          );
          return EXIT.ok;
        }),
      ),
    );

  addCommon(
    data
      .command('verify <set>')
      .description(
        'row counts, checksums, differing keys and conflicts per table; exit 1 on any difference',
      ),
  )
    .option('--json', 'print the verdicts and conflicts as JSON')
    .action(
      runAction(async (name: string, options: CommonOptions & { json?: boolean }) =>
        withFlow(name, options, async ({ endpoints, flow, direction }) => {
          const verdicts = await verifyFlow(endpoints, flow, {
            batchSize: parsePositive('batch-size', options.batchSize, 10_000),
          });
          const conflicts = await findConflicts(endpoints, flow);
          process.stdout.write(
            options.json
              ? `${JSON.stringify({ verdicts, conflicts }, null, 2)}\n`
              : `${formatVerify(flow.set, verdicts, conflicts, `owner / other side: ${direction}`)}\n`,
          );
          return verdicts.every((v) => v.equal) && conflicts.length === 0 ? EXIT.ok : EXIT.findings;
        }),
      ),
    );

  addCommon(
    data
      .command('sync <set>')
      .description(
        "apply the owner's captured changes to the other side until caught up; report the lag",
      ),
  )
    .option('--install', 'only install the change-capture triggers (both sides)')
    .option('--uninstall', 'remove the triggers (both sides)')
    .option('--follow', 'keep applying changes until interrupted (follows handovers)')
    .option('--interval <ms>', 'pause between rounds with --follow', '1000')
    .option(
      '--overwrite-conflicts',
      "replace rows the other side changed with the owner's versions (after you looked at them with verify)",
    )
    .action(
      runAction(
        async (
          name: string,
          options: CommonOptions & {
            install?: boolean;
            uninstall?: boolean;
            follow?: boolean;
            interval: string;
            overwriteConflicts?: boolean;
          },
        ) =>
          withFlow(name, options, async (first) => {
            const { endpoints, flow } = first;
            if (options.install || options.uninstall) {
              const change = options.install ? installCapture : uninstallCapture;
              await change(
                endpoints.source,
                flow.tables.map((t) => t.from),
              );
              await change(
                endpoints.target,
                flow.tables.map((t) => t.to),
              );
              process.stdout.write(
                `sync ${flow.set}: change capture ${options.install ? 'installed' : 'removed'}\n`,
              );
              return EXIT.ok;
            }
            const batchSize = parsePositive('batch-size', options.batchSize, 1000);
            const interval = parsePositive('interval', options.interval, 1000);
            let stopped = false;
            const stop = () => (stopped = true);
            process.once('SIGINT', stop).once('SIGTERM', stop);
            let lastProblem = '';
            do {
              try {
                // Each round follows the owner: after a handover the sync runs the other way.
                const owned = options.follow ? reorient(first.open, options.routes) : first;
                const result = await syncFlow(owned.endpoints, owned.flow, {
                  batchSize,
                  retentionHours: first.open.set.retentionHours,
                  overwriteConflicts: options.overwriteConflicts,
                });
                lastProblem = '';
                if (!options.follow || result.applied > 0)
                  process.stdout.write(`${formatSync(flow.set, owned.direction, result)}\n`);
              } catch (error) {
                // A follower keeps waiting for a person to resolve a conflict or finish a handover.
                if (!options.follow) throw error;
                const message = (error as Error).message;
                if (message !== lastProblem) process.stderr.write(`error: ${message}\n`);
                lastProblem = message;
              }
              if (options.follow && !stopped)
                await new Promise((resolve) => setTimeout(resolve, interval));
            } while (options.follow && !stopped);
            return EXIT.ok;
          }),
      ),
    );

  registerHandoverCommand(data);
}
