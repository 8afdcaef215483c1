import picomatch from 'picomatch';

/**
 * Assigns each file to a bounded context: the first configured context whose
 * globs match or, without configured contexts, its top-level folder. Files
 * directly in the root (app.ts, main.ts: the composition root) and files that
 * match no configured context belong to none and are left out of context
 * analysis, so wiring code does not make every context look cyclic.
 */
export function createContextResolver(
  contexts: Readonly<Record<string, string[]>> | undefined,
): (file: string) => string | undefined {
  if (!contexts) {
    return (file) => {
      const slash = file.indexOf('/');
      return slash === -1 ? undefined : file.slice(0, slash);
    };
  }
  const matchers = Object.entries(contexts).map(([name, globs]) => ({
    name,
    match: picomatch(globs, { dot: true }),
  }));
  return (file) => matchers.find((m) => m.match(file))?.name;
}
