import type { Command } from 'commander';
import { EXIT, runAction, UsageError } from '../../common/src/cli';
import { redactUrl } from '../../common/src/database';
import { backfillService } from './backfill';
import { installCapture, uninstallCapture } from './change-capture';
import { type Endpoints, openEndpoints } from './endpoints';
import { formatBackfill, formatSync, formatVerify } from './report';
import { findService, type ServiceSpec } from './service-tables';
import { syncService } from './sync';
import { verifyService } from './verify';

interface CommonOptions {
  source?: string;
  target?: string;
  batchSize?: string;
}

function parsePositive(name: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined) return fallback;
  if (!/^[1-9][0-9]*$/.test(raw))
    throw new UsageError(`--${name} must be a positive integer (example: --${name} 5000)`);
  return Number(raw);
}

async function withEndpoints(
  service: string,
  options: CommonOptions,
  work: (e: Endpoints, spec: ServiceSpec) => Promise<number>,
) {
  const spec = findService(service);
  const endpoints = await openEndpoints(spec, { source: options.source, target: options.target });
  const where = (t: { engine: string; location: string }) => `${t.engine} ${redactUrl(t.location)}`;
  process.stderr.write(
    `${spec.service}: source ${where(endpoints.sourceTarget)} → target ${where(endpoints.targetTarget)}\n`,
  );
  try {
    return await work(endpoints, spec);
  } finally {
    await endpoints.close();
  }
}

function addCommon(command: Command): Command {
  return command
    .option('--source <url>', 'monolith database (default: DATABASE_URL or data/monolith.sqlite)')
    .option(
      '--target <url>',
      'service database (default: CATALOG_DATABASE_URL / FINANCE_DATABASE_URL or data/<service>.sqlite)',
    )
    .option('--batch-size <n>', 'rows per batch');
}

/** `strangler data backfill|verify|sync <service>`: moving a service's tables out of the monolith. */
export function registerDataCommands(program: Command): void {
  const data = program
    .command('data')
    .description(
      'copy, compare and keep in sync the tables an extracted service takes from the monolith',
    );

  addCommon(
    data
      .command('backfill <service>')
      .description('copy the tables in resumable keyset batches (progress + ETA)'),
  )
    .option('--restart', 'ignore checkpoints and copy everything again')
    .action(
      runAction(async (service: string, options: CommonOptions & { restart?: boolean }) =>
        withEndpoints(service, options, async (endpoints, spec) => {
          const started = Date.now();
          const tables = await backfillService(endpoints, spec, {
            batchSize: parsePositive('batch-size', options.batchSize, 5000),
            restart: options.restart,
          });
          process.stdout.write(
            `${formatBackfill(spec.service, tables, (Date.now() - started) / 1000)}\n`,
          );
          return EXIT.ok;
        }),
      ),
    );

  addCommon(
    data
      .command('verify <service>')
      .description('row counts, checksums and differing keys per table; exit 1 on any difference'),
  )
    .option('--json', 'print the verdicts as JSON')
    .action(
      runAction(async (service: string, options: CommonOptions & { json?: boolean }) =>
        withEndpoints(service, options, async (endpoints, spec) => {
          const verdicts = await verifyService(endpoints, spec, {
            batchSize: parsePositive('batch-size', options.batchSize, 10_000),
          });
          process.stdout.write(
            options.json
              ? `${JSON.stringify(verdicts, null, 2)}\n`
              : `${formatVerify(spec.service, verdicts)}\n`,
          );
          return verdicts.every((v) => v.equal) ? EXIT.ok : EXIT.findings;
        }),
      ),
    );

  addCommon(
    data
      .command('sync <service>')
      .description(
        'apply changes captured in the monolith (triggers) until caught up; report the lag',
      ),
  )
    .option('--install', 'only install the change-capture triggers')
    .option('--uninstall', 'remove the triggers (after cut-over of writes)')
    .option('--follow', 'keep applying changes until interrupted')
    .option('--interval <ms>', 'pause between rounds with --follow', '1000')
    .action(
      runAction(
        async (
          service: string,
          options: CommonOptions & {
            install?: boolean;
            uninstall?: boolean;
            follow?: boolean;
            interval: string;
          },
        ) =>
          withEndpoints(service, options, async (endpoints, spec) => {
            if (options.install || options.uninstall) {
              await (options.install ? installCapture : uninstallCapture)(endpoints.source, spec);
              process.stdout.write(
                `sync ${spec.service}: change capture ${options.install ? 'installed' : 'removed'}\n`,
              );
              return EXIT.ok;
            }
            const batchSize = parsePositive('batch-size', options.batchSize, 1000);
            const interval = parsePositive('interval', options.interval, 1000);
            let stopped = false;
            const stop = () => (stopped = true);
            process.once('SIGINT', stop).once('SIGTERM', stop);
            do {
              const result = await syncService(endpoints, spec, { batchSize });
              if (!options.follow || result.applied > 0)
                process.stdout.write(`${formatSync(spec.service, result)}\n`);
              if (options.follow && !stopped)
                await new Promise((resolve) => setTimeout(resolve, interval));
            } while (options.follow && !stopped);
            return EXIT.ok;
          }),
      ),
    );
}
