import { Command, CommanderError } from 'commander';

/** Exit codes shared by every `strangler` subcommand (like knip's). */
export const EXIT = { ok: 0, findings: 1, usage: 2 } as const;

/** A usage or configuration problem: printed without a stack, exit 2. */
export class UsageError extends Error {
  readonly exitCode = EXIT.usage;
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** Runs a command action and turns its outcome into an exit code. */
// biome-ignore lint/suspicious/noConfusingVoidType: an action that finds nothing to report returns Promise<void>
export function runAction<A extends unknown[]>(action: (...args: A) => Promise<number | void>) {
  return async (...args: A): Promise<void> => {
    try {
      const code = await action(...args);
      process.exitCode = code ?? EXIT.ok;
    } catch (error) {
      process.exitCode = reportError(error);
    }
  };
}

export function reportError(error: unknown): number {
  if (error instanceof CommanderError) return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
  const err = error as Error & { exitCode?: number; code?: string };
  if (typeof err.exitCode === 'number') {
    process.stderr.write(`error: ${err.message}\n`);
    return err.exitCode;
  }
  process.stderr.write(`error: ${err?.stack ?? String(error)}\n`);
  return EXIT.usage;
}

/** A commander program with usage errors mapped to exit 2. */
export function createProgram(name: string, description: string): Command {
  const program = new Command(name).description(description);
  program.exitOverride((err) => {
    process.exit(err.exitCode === 0 ? EXIT.ok : EXIT.usage);
  });
  program.showHelpAfterError('(add --help for usage)');
  return program;
}
