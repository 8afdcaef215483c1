export { analyseSeams } from './analyse-seams';
export { registerSeamsCommands } from './cli';
export { REPORTERS } from './report/reporters';
export { SeamsError } from './errors';
export { REPORT_VERSION, type SeamsReport } from './seams-report';
export type { SeamsOptionsInput } from './options';
