import { createProgram } from '../../common/src/cli';
import { registerDataCommands } from './cli';

// Runs `data …` on its own (the crash tests spawn it); `strangler data …` is the same commands.
const program = createProgram('strangler', 'data movement for extracted services');
registerDataCommands(program);
void program.parseAsync(process.argv);
