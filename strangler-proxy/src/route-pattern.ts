/**
 * Route path patterns: literal segments and `:param` segments, e.g.
 * `/catalog/albums/:id`. Compiled once per table; matched against the
 * already-normalised segments of a request path.
 */
export type PatternSegment = { literal: string } | { param: string };

export interface CompiledPattern {
  source: string;
  segments: PatternSegment[];
  literalCount: number;
}

const LITERAL = /^[A-Za-z0-9\-._~!$&'()+,;=@]+$/;
const PARAM = /^:[A-Za-z_][A-Za-z0-9_]*$/;

/** Throws a message (without file or route: the caller adds them) when the pattern is malformed. */
export function compilePattern(source: string, caseSensitive: boolean): CompiledPattern {
  if (!source.startsWith('/')) throw new Error(`"${source}" must start with "/", e.g. /catalog`);
  const trimmed = source.length > 1 && source.endsWith('/') ? source.slice(0, -1) : source;
  const parts = trimmed === '/' ? [] : trimmed.slice(1).split('/');
  const segments = parts.map((part): PatternSegment => {
    if (part === '')
      throw new Error(`"${source}" has an empty segment ("//"); write single slashes`);
    if (part === '.' || part === '..')
      throw new Error(`"${source}" contains "${part}"; write the resolved path`);
    if (part.startsWith(':')) {
      if (!PARAM.test(part)) throw new Error(`"${source}": parameter "${part}" must look like :id`);
      return { param: part.slice(1) };
    }
    if (!LITERAL.test(part)) {
      throw new Error(
        `"${source}": segment "${part}" has characters that need percent-encoding or are not allowed (like %, *, ?, #, spaces)`,
      );
    }
    return { literal: caseSensitive ? part : part.toLowerCase() };
  });
  return { source, segments, literalCount: segments.filter((s) => 'literal' in s).length };
}

/** Returns the captured params when `segments` match; a prefix pattern matches whole segments only. */
export function matchPattern(
  pattern: CompiledPattern,
  segments: readonly string[],
  prefix: boolean,
): Record<string, string> | null {
  const wanted = pattern.segments;
  if (prefix ? segments.length < wanted.length : segments.length !== wanted.length) return null;
  let params: Record<string, string> | null = null;
  for (let i = 0; i < wanted.length; i++) {
    const want = wanted[i];
    if ('literal' in want) {
      if (want.literal !== segments[i]) return null;
    } else {
      (params ??= {})[want.param] = segments[i];
    }
  }
  return params ?? {};
}
