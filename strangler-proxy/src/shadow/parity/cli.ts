import type { Command } from 'commander';
import { runAction } from '../../../../common/src/cli';
import { type ParityOptions, runParity } from './run-parity';

/** `strangler parity --a <url> --b <url> --requests <file>`: the lead wires this into scripts/strangler.ts. */
export function registerParityCommands(program: Command): void {
  program
    .command('parity')
    .description(
      'replay a request log (JSON Lines) against two targets and compare every answer; exit 1 on any difference',
    )
    .requiredOption(
      '--a <url>',
      'the reference target, usually the monolith, e.g. http://127.0.0.1:3000',
    )
    .requiredOption('--b <url>', 'the candidate target, e.g. http://127.0.0.1:4001')
    .requiredOption(
      '--requests <file>',
      'request log, one {"method","path","headers"?,"body"?} per line (see strangler-proxy/src/shadow/README.md)',
    )
    .option(
      '--compare <file>',
      'comparison rules (YAML or JSON): headers, ignore, arrayKeys, tolerance',
    )
    .option('--concurrency <n>', 'requests in flight at once', '8')
    .option('--timeout <ms>', 'give up on one answer after this many milliseconds', '30000')
    .option(
      '--include-writes',
      'also replay POST, PUT, PATCH and DELETE (only against sandboxes: they run twice)',
    )
    .option(
      '--learn-noise',
      'ask A twice per request and ignore fields where A disagrees with itself',
    )
    .option('--examples <n>', 'mismatches to print', '5')
    .option('--report <file>', 'write the full report as JSON')
    .addHelpText(
      'after',
      '\nExit codes: 0 all answers match, 1 a difference or a failed request, 2 bad input.\n',
    )
    .action(runAction(async (options: ParityOptions) => runParity(options)));
}
