import picomatch from 'picomatch';
import { SeamsError } from './errors';

const escapeRegExp = (text: string) => text.replace(/[.+^${}()|[\]\\?]/g, '\\$&');

/**
 * A context name with a `*` names one context per folder: `"*": "src/modules/*\/**"`
 * makes `src/modules/billing/…` the context `billing`; `"*-service":
 * "extracted/*-service/**"` makes `extracted/catalog-service/…` `catalog-service`.
 * The `*` of the name takes what the first `*` path segment of the glob matched.
 */
function templateMatcher(name: string, globs: string[]): (file: string) => string | undefined {
  const parts = globs.map((glob) => {
    const segments = glob.split('/');
    const index = segments.findIndex((s) => s.includes('*') && s !== '**');
    if (index === -1 || segments.slice(0, index).includes('**'))
      throw new SeamsError(
        'ERR_SEAMS_CONFIG',
        `contexts."${name}": a name with * needs a glob whose folder names it before any **, e.g. "${name}": "src/modules/*/**" (got "${glob}")`,
      );
    const segment = new RegExp(`^${escapeRegExp(segments[index]).replace(/\*/g, '([^/]*)')}$`);
    return { match: picomatch(glob, { dot: true }), index, segment };
  });
  return (file) => {
    for (const part of parts) {
      if (!part.match(file)) continue;
      const captured = part.segment.exec(file.split('/')[part.index] ?? '')?.[1];
      if (captured) return name.replace('*', captured);
    }
    return undefined;
  };
}

/**
 * Assigns each file to a bounded context: the first configured context whose
 * globs match or, without configured contexts, its top-level folder. Files
 * directly in the root (app.ts, main.ts: the composition root) and files that
 * match no configured context belong to none and are left out of context
 * analysis, so wiring code does not make every context look cyclic. A
 * configured context whose folder does not exist (yet) simply has no files.
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
  const matchers = Object.entries(contexts).map(([name, globs]) => {
    if (name.includes('*')) return templateMatcher(name, globs);
    const match = picomatch(globs, { dot: true });
    return (file: string) => (match(file) ? name : undefined);
  });
  const cache = new Map<string, string | undefined>();
  return (file) => {
    if (cache.has(file)) return cache.get(file);
    let found: string | undefined;
    for (const matcher of matchers) {
      found = matcher(file);
      if (found) break;
    }
    cache.set(file, found);
    return found;
  };
}
