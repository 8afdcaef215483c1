/**
 * A catalogue of broken routes files: each is refused with a message that
 * names the file, the place (route / upstream / top level), the field and the problem.
 */
export interface MalformedCase {
  label: string;
  text: string;
  /** Every pattern must appear in the error message. */
  expect: RegExp[];
}

const HEAD = `version: 1
upstreams:
  monolith: { url: "http://127.0.0.1:3000" }
  catalog-service: { url: "http://127.0.0.1:4001" }
default: { to: monolith }
`;

const withRoutes = (routes: string) => `${HEAD}routes:\n${routes}`;

export const MALFORMED: MalformedCase[] = [
  {
    label: 'YAML syntax error',
    text: 'version: 1\nupstreams: [\n',
    expect: [/invalid YAML at line \d+/],
  },
  { label: 'JSON syntax error', text: '{ "version": 1, ', expect: [/invalid JSON/] },
  { label: 'not a mapping', text: '- just\n- a list\n', expect: [/must be a mapping/] },
  { label: 'empty file', text: '', expect: [/must be a mapping/] },
  {
    label: 'wrong version',
    text: HEAD.replace('version: 1', 'version: 2'),
    expect: [/top level/, /field "version"/, /version: 1/],
  },
  {
    label: 'no upstreams',
    text: 'version: 1\ndefault: { to: monolith }\n',
    expect: [/field "upstreams"/],
  },
  {
    label: 'empty upstreams',
    text: 'version: 1\nupstreams: {}\ndefault: { to: monolith }\n',
    expect: [/needs at least one upstream/],
  },
  {
    label: 'upstream URL not http',
    text: HEAD.replace('"http://127.0.0.1:4001"', '"ftp://127.0.0.1:4001"'),
    expect: [/upstream "catalog-service"/, /field "url"/, /http\(s\) origin/],
  },
  {
    label: 'upstream URL with a path',
    text: HEAD.replace('"http://127.0.0.1:4001"', '"http://127.0.0.1:4001/api"'),
    expect: [/upstream "catalog-service"/, /field "url"/],
  },
  {
    label: 'upstream URL with credentials',
    text: HEAD.replace('"http://127.0.0.1:4001"', '"http://user:pw@127.0.0.1:4001"'),
    expect: [/field "url"/],
  },
  {
    label: 'negative timeout',
    text: HEAD.replace(
      '{ url: "http://127.0.0.1:4001" }',
      '{ url: "http://127.0.0.1:4001", timeoutMs: -5 }',
    ),
    expect: [/upstream "catalog-service"/, /field "timeoutMs"/, /whole milliseconds/],
  },
  {
    label: 'breaker failure rate above 1',
    text: HEAD.replace(
      '{ url: "http://127.0.0.1:4001" }',
      '{ url: "http://127.0.0.1:4001", breaker: { failureRate: 5 } }',
    ),
    expect: [/field "breaker.failureRate"/],
  },
  {
    label: 'default to an unknown upstream',
    text: HEAD.replace('default: { to: monolith }', 'default: { to: monolit }'),
    expect: [
      /default route/,
      /upstream "monolit" is not defined \(known: monolith, catalog-service\)/,
    ],
  },
  {
    label: 'missing default',
    text: HEAD.replace('default: { to: monolith }\n', ''),
    expect: [/field "default"/],
  },
  {
    label: 'route to an unknown upstream',
    text: withRoutes('  - { name: catalog, match: { prefix: /catalog }, to: catalg }\n'),
    expect: [
      /route "catalog"/,
      /field "to"/,
      /"catalg" is not defined \(known: monolith, catalog-service\)/,
    ],
  },
  {
    label: 'route without a name',
    text: withRoutes('  - { match: { prefix: /catalog }, to: monolith }\n'),
    expect: [/route #1/, /field "name"/],
  },
  {
    label: 'duplicate route names',
    text: withRoutes(
      '  - { name: a, match: { prefix: /x }, to: monolith }\n  - { name: a, match: { prefix: /y }, to: monolith }\n',
    ),
    expect: [/route "a"/, /used by two routes/],
  },
  {
    label: 'route named default',
    text: withRoutes('  - { name: default, match: { prefix: /x }, to: monolith }\n'),
    expect: [/reserved/],
  },
  {
    label: 'percent above 100',
    text: withRoutes(
      '  - { name: catalog, match: { prefix: /catalog }, to: catalog-service, percent: 150 }\n',
    ),
    expect: [/route "catalog"/, /field "percent"/, /0 to 100/],
  },
  {
    label: 'percent as text',
    text: withRoutes(
      '  - { name: catalog, match: { prefix: /catalog }, to: catalog-service, percent: ten }\n',
    ),
    expect: [/field "percent"/],
  },
  {
    label: 'both prefix and path',
    text: withRoutes(
      '  - { name: catalog, match: { prefix: /catalog, path: /catalog/x }, to: monolith }\n',
    ),
    expect: [/route "catalog"/, /field "match"/, /exactly one of "prefix" or "path"/],
  },
  {
    label: 'neither prefix nor path',
    text: withRoutes('  - { name: catalog, match: { methods: [GET] }, to: monolith }\n'),
    expect: [/exactly one of "prefix" or "path"/],
  },
  {
    label: 'prefix without a leading slash',
    text: withRoutes('  - { name: catalog, match: { prefix: catalog }, to: monolith }\n'),
    expect: [/route "catalog"/, /field "match.prefix"/, /must start with "\/"/],
  },
  {
    label: 'wildcard in a path',
    text: withRoutes('  - { name: catalog, match: { path: "/catalog/*" }, to: monolith }\n'),
    expect: [/field "match.path"/, /not allowed/],
  },
  {
    label: 'dot segment in a prefix',
    text: withRoutes(
      '  - { name: catalog, match: { prefix: /catalog/../finance }, to: monolith }\n',
    ),
    expect: [/field "match.prefix"/, /resolved path/],
  },
  {
    label: 'unknown HTTP method',
    text: withRoutes(
      '  - { name: catalog, match: { prefix: /catalog, methods: [FETCH] }, to: monolith }\n',
    ),
    expect: [/field "match.methods.0"/, /must be one of GET/],
  },
  {
    label: 'misspelt field',
    text: withRoutes('  - { name: catalog, match: { prefix: /catalog }, tO: monolith }\n'),
    expect: [/route "catalog"/, /unknown field "tO"; did you mean "to"\?/],
  },
  {
    label: 'sticky with header and cookie',
    text: withRoutes(
      '  - { name: catalog, match: { prefix: /catalog }, to: monolith, sticky: { header: x-id, cookie: s } }\n',
    ),
    expect: [/field "sticky"/, /exactly one of "header" or "cookie"/],
  },
  {
    label: 'retry of a POST',
    text: withRoutes(
      '  - { name: catalog, match: { prefix: /catalog }, to: monolith, retry: { attempts: 2, methods: [POST] } }\n',
    ),
    expect: [/route "catalog"/, /field "retry.methods"/, /POST is not idempotent/],
  },
  {
    label: 'too many retries',
    text: withRoutes(
      '  - { name: catalog, match: { prefix: /catalog }, to: monolith, retry: { attempts: 50 } }\n',
    ),
    expect: [/field "retry.attempts"/, /1 to 5/],
  },
  {
    label: 'two routes matching the same requests',
    text: withRoutes(
      '  - { name: a, match: { prefix: /catalog }, to: monolith }\n  - { name: b, match: { prefix: /Catalog/ }, to: catalog-service }\n',
    ),
    expect: [/route "b"/, /same requests as route "a"/],
  },
  {
    label: 'headers timeout longer than the request timeout',
    text: `${HEAD}limits: { headersTimeoutMs: 60000, requestTimeoutMs: 1000 }\n`,
    expect: [/field "limits.headersTimeoutMs"/, /must not exceed requestTimeoutMs/],
  },
  {
    label: 'fallback as a string',
    text: withRoutes(
      '  - { name: catalog, match: { prefix: /catalog }, to: monolith, fallback: "yes" }\n',
    ),
    expect: [/field "fallback"/, /fallback: true/],
  },
  {
    label: 'shadow to an unknown upstream',
    text: withRoutes(
      '  - { name: catalog, match: { prefix: /catalog }, to: monolith, shadow: catalg }\n',
    ),
    expect: [
      /route "catalog"/,
      /field "shadow.upstream"/,
      /"catalg" is not defined \(known: monolith, catalog-service\)/,
    ],
  },
  {
    label: 'shadow writes to an upstream that is not a sandbox',
    text: withRoutes(
      '  - { name: catalog, match: { prefix: /catalog }, to: monolith, shadow: { upstream: catalog-service, sandbox: true } }\n',
    ),
    expect: [/route "catalog"/, /field "shadow.sandbox"/, /not marked sandbox: true/],
  },
  {
    label: 'shadow with a misspelt field',
    text: withRoutes(
      '  - { name: catalog, match: { prefix: /catalog }, to: monolith, shadow: { upstream: catalog-service, timeoutMS: 100 } }\n',
    ),
    expect: [/route "catalog"/, /timeoutMS/],
  },
  {
    label: 'shadow with a bad ignore path',
    text: withRoutes(
      '  - { name: catalog, match: { prefix: /catalog }, to: monolith, shadow: { upstream: catalog-service, compare: { ignore: ["items"] } } }\n',
    ),
    expect: [/route "catalog"/, /field "shadow.compare.ignore.0"/],
  },
  {
    label: 'upstream sandbox as text',
    text: HEAD.replace(
      '{ url: "http://127.0.0.1:4001" }',
      '{ url: "http://127.0.0.1:4001", sandbox: "yes" }',
    ),
    expect: [/upstream "catalog-service"/, /field "sandbox"/],
  },
  {
    label: 'promote without a shadow of its target',
    text: withRoutes(
      '  - { name: catalog, match: { prefix: /catalog }, to: catalog-service, percent: 0, promote: auto }\n',
    ),
    expect: [/route "catalog"/, /field "promote"/, /has no shadow/],
  },
  {
    label: 'promote with a match rate above 1',
    text: withRoutes(
      '  - { name: catalog, match: { prefix: /catalog }, to: catalog-service, percent: 0, shadow: catalog-service, promote: { minMatchRate: 99 } }\n',
    ),
    expect: [/route "catalog"/, /field "promote.minMatchRate"/],
  },
];
