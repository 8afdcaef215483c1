import type { Reporter } from './reporter';

/** The whole report, schema documented in seams/README.md ("JSON report"). */
export const renderJson: Reporter = (report) => ({
  output: `${JSON.stringify(report, null, 2)}\n`,
});
