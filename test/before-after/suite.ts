import { modeKey, modeName } from './client';

/**
 * Declares a part of the black-box suite; skipped (with the reason in its
 * title) when the mode's global setup could not start its stack, e.g. a
 * PostgreSQL mode on a laptop without PostgreSQL. Under CI=true the setup
 * fails instead, so nothing is skipped there.
 */
export function describeSuite(title: string, body: () => void): void {
  const skipped = process.env.TARGET_URL
    ? undefined
    : process.env[`BEFORE_AFTER_SKIP_${modeKey()}`];
  if (skipped) {
    process.stderr.write(`[before/after] skipping "${title}" in ${modeName()}: ${skipped}\n`);
    describe.skip(`${title} (skipped: ${skipped})`, body);
  } else describe(title, body);
}
