import type { RoutesFile } from '../config';
import { compileDeprecations, deprecationHeaders } from '../deprecations';
import { pathRegex, quote, versionRegex } from './nginx-syntax';

/** The answer headers of `deprecations:`, each an nginx variable that is empty when none applies. */
const HEADERS = ['Deprecation', 'Sunset', 'Link'] as const;

const variableOf = (header: (typeof HEADERS)[number]) =>
  `$strangler_deprecation_${header.toLowerCase()}`;

/**
 * `deprecations:` as nginx maps: `$strangler_deprecation` is the first deprecation (in file
 * order, as the Node proxy looks) whose method, asked-for major version and path cover the
 * request; one map per header turns it into the header's value. A deprecation without
 * `since` is dated the day `now` falls on (the Node proxy: the day of the request).
 */
export function deprecationMaps(config: RoutesFile, now: number): string[] {
  const deprecations = compileDeprecations(config.deprecations, config.caseSensitive);
  if (deprecations.length === 0) return [];
  const operator = config.caseSensitive ? '~' : '~*';
  const out = [
    '# deprecations: the first one covering the request (method, API major version, path).',
    'map "$request_method $strangler_api_major $uri" $strangler_deprecation {',
  ];
  deprecations.forEach((deprecation, i) => {
    const methods = deprecation.methods ? `(?:${[...deprecation.methods].join('|')})` : '\\S+';
    const path = pathRegex({
      kind: deprecation.prefix ? 'prefix' : 'path',
      pattern: deprecation.pattern,
    });
    out.push(
      `  ${quote(`${operator}^${methods} ${versionRegex(deprecation.version)} ${path}$`)} ${i + 1};`,
    );
  });
  out.push('  default "";', '}');
  const values = deprecations.map((deprecation) => new Map(deprecationHeaders(deprecation, now)));
  for (const header of HEADERS) {
    out.push(`map $strangler_deprecation ${variableOf(header)} {`);
    values.forEach((headers, i) => {
      const value = headers.get(header);
      if (value !== undefined) out.push(`  ${i + 1} ${quote(value)};`);
    });
    out.push('  default "";', '}');
  }
  out.push('');
  return out;
}

/** The `add_header` lines (an empty value adds nothing) for a block that answers or forwards. */
export function deprecationHeaderLines(config: RoutesFile): string[] {
  if (config.deprecations.length === 0) return [];
  return HEADERS.map((header) => `add_header ${header} ${variableOf(header)} always;`);
}
