import type { Exercise } from './exercise-catalog';
import type { CheckRun, CriterionResult } from './run-check';

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const indent = (text: string, prefix: string) =>
  text
    .split('\n')
    .map((line) => prefix + line)
    .join('\n');

/** One criterion: ✓ / ✗ / ! (environment) / · (not reached), with what is wrong and what to look at next. */
export function formatResult({ title, outcome, ms }: CriterionResult): string {
  switch (outcome.status) {
    case 'pass':
      return `  ✓ ${title} (${seconds(ms)})${outcome.detail ? `\n${indent(outcome.detail, '      ')}` : ''}`;
    case 'fail':
      return `  ✗ ${title} (${seconds(ms)})\n${indent(outcome.detail, '      ')}\n${indent(`next: ${outcome.next}`, '      ')}`;
    case 'environment':
      return `  ! ${title}: could not be checked on this machine\n${indent(outcome.detail, '      ')}\n      This is not about your solution: fix the above and run the check again.`;
    case 'not-reached':
      return `  · ${title} (not reached: fix the one above first)`;
  }
}

export function formatSummary(run: CheckRun, exercise: Exercise, ms: number): string {
  const passed = run.results.filter((r) => r.outcome.status === 'pass').length;
  const total = run.results.length;
  if (run.exitCode === 0)
    return `Exercise ${exercise.label} passes: ${passed}/${total} (${seconds(ms)}). Well done. npx strangler exercises shows what comes next.`;
  if (run.exitCode === 3)
    return `Exercise ${exercise.label}: ${passed}/${total} passed; the rest could not be checked here (see "!" above, exit 3).`;
  return `Exercise ${exercise.label}: ${passed}/${total} passed (${seconds(ms)}). Stuck? npx strangler exercise hint`;
}
