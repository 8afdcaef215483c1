import { createProgram, reportError } from '../common/src/cli';
import { registerContractsCommands } from '../contracts/src/cli';
import { registerDataCommands } from '../data-movement/src/cli';
import { registerEventsCommands } from '../events/src/cli';
import { registerExerciseCommands } from '../exercises/runner/cli';
import { registerSeamsCommands } from '../seams/src/cli';
import { registerProxyCommands } from '../strangler-proxy/src/cli';
import { registerParityCommands } from '../strangler-proxy/src/shadow';
import { registerDbCommands } from './commands/db';
import { registerStartCommand } from './commands/start';

// Each component registers its own subcommands; this file only wires them.
const program = createProgram(
  'strangler',
  'strangler-kit: move an Express monolith to services, route by route',
);
registerSeamsCommands(program);
registerProxyCommands(program);
registerParityCommands(program);
registerDataCommands(program);
registerEventsCommands(program);
registerDbCommands(program);
registerStartCommand(program);
registerContractsCommands(program);
registerExerciseCommands(program);

// necessary because an error thrown while commander parses (before any action runs) would otherwise be unhandled
program.parseAsync(process.argv).catch((error: unknown) => {
  process.exitCode = reportError(error);
});
