import type { z } from 'zod';
import { didYouMean } from '../../common/src/did-you-mean';

// How to fix each field, by its key: appended to the schema's message.
const FIX: Record<string, string> = {
  version: 'start the file with version: 1',
  url: 'write an origin such as url: http://127.0.0.1:4001',
  to: 'name an upstream defined under "upstreams", e.g. to: monolith',
  percent: 'use a number from 0 to 100, e.g. percent: 10',
  name: 'use a short name such as catalog-read',
  match: 'e.g. match: { prefix: /catalog } or match: { path: /catalog/albums/:id, methods: [GET] }',
  prefix: 'e.g. prefix: /catalog',
  path: 'e.g. path: /catalog/albums/:id',
  methods: 'e.g. methods: [GET, HEAD]',
  header: 'e.g. header: { name: x-beta, value: "1" }',
  sticky: 'e.g. sticky: { header: x-customer-id } or sticky: { cookie: session }',
  // A field's own hint where the same key means something else elsewhere (match.header takes { name, value }).
  'sticky.header': 'name the header that keys the canary, e.g. sticky: { header: x-customer-id }',
  'sticky.cookie': 'name the cookie that keys the canary, e.g. sticky: { cookie: session }',
  serves: 'list the path prefixes the upstream answers, e.g. serves: [/catalog, /v2/catalog]',
  routeHeader: 'name a response header, e.g. routeHeader: x-strangler-route, or routeHeader: false',
  retry: 'e.g. retry: { attempts: 2, backoffMs: 50 }',
  attempts: 'use 1 to 5 extra attempts, e.g. attempts: 2',
  fallback: 'use fallback: true (GET and HEAD) or fallback: { methods: [GET, HEAD] }',
  timeoutMs: 'use whole milliseconds, e.g. timeoutMs: 5000',
  breaker:
    'e.g. breaker: { failureRate: 0.5, minRequests: 10, windowMs: 10000, openMs: 5000 } or breaker: false',
  upstreams: 'e.g. upstreams: { monolith: { url: http://127.0.0.1:3000 } }',
  default: 'e.g. default: { to: monolith }',
  routes: 'write a list of routes, each starting with "- name: ..."',
  shadow:
    'e.g. shadow: catalog or shadow: { upstream: catalog, compare: { ignore: [$.items[*].updatedAt] } } (see strangler-proxy/src/shadow/README.md)',
  compare:
    'see "Comparison rules" in strangler-proxy/src/shadow/README.md, e.g. compare: { ignore: [$.meta.*] }',
  sandbox: 'use sandbox: true or sandbox: false',
  writes: 'name a data set declared under "dataSets", e.g. writes: catalog',
  dataSets: 'e.g. dataSets: { catalog: { owner: monolith } }',
  owner: 'name the upstream that writes this data, e.g. owner: monolith',
  promote:
    'e.g. promote: auto or promote: { minMatchRate: 0.99, maxErrorRate: 0.01, windowMs: 300000, minRequests: 100 }',
};

const KNOWN_FIELDS = [
  ...Object.keys(FIX).filter((key) => !key.includes('.')),
  'caseSensitive',
  'trustForwardedHeaders',
  'limits',
  'healthPath',
  'connections',
  'value',
  'cookie',
  'backoffMs',
  'failureRate',
  'minRequests',
  'windowMs',
  'openMs',
  'halfOpenRequests',
  'upstream',
  'maxConcurrent',
  'minMatchRate',
  'maxErrorRate',
  'paused',
  'learnNoise',
  'ignore',
  'arrayKeys',
  'tolerance',
  'toleranceByPath',
  'maxDifferences',
  'maxBodyBytes',
  'maxHeaderBytes',
  'headersTimeoutMs',
  'requestTimeoutMs',
  'keepAliveTimeoutMs',
  'bufferBodyBytes',
  'bodyTimeoutMs',
  'maxBodiesPerClient',
];

/** `route "catalog"`, `upstream "monolith"`, `default route` or `top level`, read from the raw document. */
export function describeLocation(path: readonly PropertyKey[], raw: unknown): string {
  const doc = raw as { routes?: Array<{ name?: unknown }> } | null;
  if (path[0] === 'routes' && typeof path[1] === 'number') {
    const routeName = doc?.routes?.[path[1]]?.name;
    return typeof routeName === 'string' ? `route "${routeName}"` : `route #${path[1] + 1}`;
  }
  if (path[0] === 'upstreams' && path.length > 1) return `upstream "${String(path[1])}"`;
  if (path[0] === 'default') return 'default route';
  if (path[0] === 'dataSets' && path.length > 1) return `data set "${String(path[1])}"`;
  return 'top level';
}

function fieldOf(path: readonly PropertyKey[]): string {
  const skip =
    path[0] === 'routes' || path[0] === 'upstreams' || path[0] === 'dataSets'
      ? 2
      : path[0] === 'default'
        ? 1
        : 0;
  return path.slice(skip).map(String).join('.');
}

function suggest(unknown: string): string {
  return didYouMean(unknown, KNOWN_FIELDS);
}

/** The hint of the innermost field that has one; `parent.field` first, then `field`. */
function fixFor(path: readonly PropertyKey[]): string {
  for (let i = path.length - 1; i >= 0; i--) {
    if (typeof path[i] !== 'string') continue;
    const hint = FIX[`${String(path[i - 1])}.${String(path[i])}`] ?? FIX[path[i] as string];
    if (hint) return `. Fix: ${hint}`;
  }
  return '';
}

/** One line per problem: file, route/upstream, field, what is wrong and how to fix it. */
export function formatIssue(file: string, issue: z.core.$ZodIssue, raw: unknown): string {
  const where = describeLocation(issue.path, raw);
  if (issue.code === 'unrecognized_keys') {
    const keys = issue.keys.map((key) => `"${key}"${suggest(key)}`).join(', ');
    const inside = fieldOf(issue.path);
    return `${file}: ${where}: unknown field ${keys}${inside ? ` in "${inside}"` : ''}; remove it or fix its spelling`;
  }
  const field = fieldOf(issue.path) || String(issue.path[issue.path.length - 1] ?? '');
  const fix = fixFor(issue.path);
  const label = field ? `field "${field}": ` : '';
  const message =
    issue.code === 'invalid_type' && /received undefined/.test(issue.message)
      ? 'is missing'
      : issue.message;
  return `${file}: ${where}: ${label}${message}${fix}`;
}

export function formatProblem(
  file: string,
  where: string,
  field: string,
  problem: string,
  fix: string,
): string {
  return `${file}: ${where}: field "${field}": ${problem}. Fix: ${fix}`;
}
