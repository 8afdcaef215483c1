// Stand-alone entry (`npx tsx seams/src/main.ts seams --root …`), the same command as `strangler seams`.
import { createProgram } from '../../common/src/cli';
import { registerSeamsCommands } from './cli';

const program = createProgram('strangler', 'strangler-kit seam analysis');
registerSeamsCommands(program);
void program.parseAsync(process.argv);
