import type { CompiledRoute } from '../route-table';

/** A double-quoted nginx string: nginx turns `\\` into `\` and `\"` into `"`, so both are escaped. */
export function quote(text: string): string {
  return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

const REGEX_SPECIAL = /[.*+?^${}()|[\]\\/]/g;

/**
 * The regex (without anchors) of a route's path over nginx's normalised `$uri`:
 * whole segments only, `:param` is one segment, a prefix matches itself and
 * anything below it, an exact path tolerates one trailing slash (as the Node table does).
 */
export function pathRegex(route: Pick<CompiledRoute, 'kind' | 'pattern'>): string {
  const segments = route.pattern.segments.map((segment) =>
    'literal' in segment ? segment.literal.replace(REGEX_SPECIAL, '\\$&') : '[^/]+',
  );
  const body = segments.map((s) => `/${s}`).join('');
  if (route.kind === 'prefix') return segments.length === 0 ? '/.*' : `${body}(?:/.*)?`;
  return segments.length === 0 ? '/' : `${body}/?`;
}

export function indent(lines: string[]): string[] {
  return lines.map((line) => (line === '' ? '' : `  ${line}`));
}
