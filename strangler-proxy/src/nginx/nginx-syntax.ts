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

/** An API major version as nginx reads it from the version header ("2", "02" and "002" alike). */
export function versionRegex(version: number): string {
  const digits = String(version);
  return `0{0,${3 - digits.length}}${digits}`;
}

export function indent(lines: string[]): string[] {
  return lines.map((line) => (line === '' ? '' : `  ${line}`));
}
