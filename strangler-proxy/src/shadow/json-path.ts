import { ShadowError } from './errors';

/**
 * A small JSONPath subset for noise rules: `$`, `.name`, `['odd name']`, `[3]`,
 * `*` / `[*]` (any one child), `..name` / `..*` (any depth). A pattern matches a
 * node and, when used to ignore, everything under it.
 */
export type PatternStep =
  | { type: 'key'; name: string }
  | { type: 'index'; index: number }
  | { type: 'any' }
  | { type: 'descend' };

export interface PathPattern {
  source: string;
  steps: PatternStep[];
  /** Depth of every node it can match, or undefined with `..` (lets callers skip most nodes cheaply). */
  depth: number | undefined;
}

/** One step of a concrete path inside a body: an object key, an array index, or a keyed array element. */
export type PathSegment = { key: string } | { index: number } | { keyed: string; value: unknown };

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$-]*$/;
const TOKEN =
  /^(?:\.\.|\.(\*|[A-Za-z_$][A-Za-z0-9_$-]*)|\[(\*|\d+|'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")\])/;

/** Parses `$.items[*].updatedAt`; throws ShadowError naming the position and the fix. */
export function parsePathPattern(source: string): PathPattern {
  if (!source.startsWith('$'))
    throw badPattern(source, 'must start with "$", e.g. $.items[*].updatedAt');
  const steps: PatternStep[] = [];
  let rest = source.slice(1);
  while (rest.length > 0) {
    const token = TOKEN.exec(rest);
    if (!token)
      throw badPattern(
        source,
        `cannot read "${rest}"; write .name, ['name'], [0], [*], .* or ..name`,
      );
    if (token[0] === '..') {
      if (steps.at(-1)?.type === 'descend')
        throw badPattern(source, '"..." is not allowed; use ..name');
      steps.push({ type: 'descend' });
      // keep the second dot so the next token reads as `.name`, unless a bracket follows
      rest = rest[2] === '[' ? rest.slice(2) : rest.slice(1);
      continue;
    }
    steps.push(stepOf(token[1] ?? token[2]));
    rest = rest.slice(token[0].length);
  }
  if (steps.at(-1)?.type === 'descend')
    throw badPattern(source, 'cannot end with ".."; write ..name or ..*');
  return {
    source,
    steps,
    depth: steps.some((step) => step.type === 'descend') ? undefined : steps.length,
  };
}

function stepOf(text: string): PatternStep {
  if (text === '*') return { type: 'any' };
  if (/^\d+$/.test(text)) return { type: 'index', index: Number(text) };
  if (text.startsWith("'") || text.startsWith('"'))
    return { type: 'key', name: text.slice(1, -1).replace(/\\(.)/g, '$1') };
  return { type: 'key', name: text };
}

function badPattern(source: string, why: string): ShadowError {
  return new ShadowError('ERR_SHADOW_PATTERN_INVALID', `path pattern "${source}" ${why}`);
}

/** True when the pattern names exactly this node (callers stop descending at the first match). */
export function matchesPath(pattern: PathPattern, segments: readonly PathSegment[]): boolean {
  return matchFrom(pattern.steps, 0, segments, 0);
}

function matchFrom(
  steps: PatternStep[],
  s: number,
  segments: readonly PathSegment[],
  p: number,
): boolean {
  if (s === steps.length) return p === segments.length;
  const step = steps[s];
  if (step.type === 'descend') {
    for (let skip = p; skip < segments.length; skip++)
      if (matchFrom(steps, s + 1, segments, skip)) return true;
    return false;
  }
  if (p === segments.length || !matchesStep(step, segments[p])) return false;
  return matchFrom(steps, s + 1, segments, p + 1);
}

function matchesStep(step: PatternStep, segment: PathSegment): boolean {
  if (step.type === 'any') return true;
  if (step.type === 'key') return 'key' in segment && segment.key === step.name;
  return step.type === 'index' && 'index' in segment && segment.index === step.index;
}

/** Renders one segment: `.name`, `['odd name']`, `[3]` or `[id=42]`. */
export function formatSegment(segment: PathSegment): string {
  if ('key' in segment)
    return IDENTIFIER.test(segment.key)
      ? `.${segment.key}`
      : `['${segment.key.replace(/['\\]/g, '\\$&')}']`;
  if ('index' in segment) return `[${segment.index}]`;
  return `[${segment.keyed}=${JSON.stringify(segment.value)}]`;
}

/** The field a segment belongs to, for counting and noise: array positions collapse to `[*]`. */
export function formatFieldSegment(segment: PathSegment): string {
  return 'key' in segment ? formatSegment(segment) : '[*]';
}
