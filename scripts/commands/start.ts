import type { Command } from 'commander';
import { runAction } from '../../common/src/cli';
import { startDemoStack } from '../start-stack';
import { parseScale } from './db';

export function registerStartCommand(program: Command): void {
  program
    .command('start')
    .description(
      'start the demo stack on embedded SQLite: migrate, seed if empty, serve, print URLs',
    )
    .option('--scale <n>', 'seed scale when the database is empty', '1')
    .action(
      runAction(async (opts: { scale: string }) => {
        await startDemoStack({ scale: parseScale(opts.scale) });
        return new Promise<number>(() => undefined); // runs until Ctrl-C
      }),
    );
}
