// Prints how many tests ran on each database engine, then a plain closing line.
class EngineCountReporter {
  onRunComplete(_contexts, results) {
    const counts = {
      sqlite: { passed: 0, failed: 0, skipped: 0 },
      postgres: { passed: 0, failed: 0, skipped: 0 },
      other: { passed: 0, failed: 0, skipped: 0 },
    };
    for (const file of results.testResults) {
      const project =
        typeof file.displayName === 'object'
          ? (file.displayName?.name ?? '')
          : (file.displayName ?? '');
      for (const test of file.testResults) {
        // before/after projects run one stack on one engine: the project name says which.
        const projectTag = /^(before|after)/.test(project)
          ? project.includes('postgres')
            ? '[postgres]'
            : '[sqlite]'
          : '';
        const path = `${test.ancestorTitles.join(' ')} ${projectTag}`;
        const engine = path.includes('[postgres]')
          ? 'postgres'
          : path.includes('[sqlite]')
            ? 'sqlite'
            : 'other';
        const status =
          test.status === 'passed' ? 'passed' : test.status === 'failed' ? 'failed' : 'skipped';
        counts[engine][status] += 1;
      }
    }
    const line = (name, c) =>
      `  ${name.padEnd(16)} ${c.passed} passed, ${c.failed} failed, ${c.skipped} skipped`;
    process.stdout.write('\nTests per database engine:\n');
    process.stdout.write(
      `${line('sqlite', counts.sqlite)}\n${line('postgres', counts.postgres)}\n${line('engine-agnostic', counts.other)}\n`,
    );
    process.stdout.write(
      `\ntests: ${results.numPassedTests} passed, ${results.numFailedTests} failed, ${results.numPendingTests + results.numTodoTests} skipped\n`,
    );
  }
}
module.exports = EngineCountReporter;
