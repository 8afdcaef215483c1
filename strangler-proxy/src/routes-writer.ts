import fs from 'node:fs';
import { ProxyError } from './errors';
import { parseRoutesText, type RoutesFile } from './config';
import { assertContractsAllow } from './contract-gate';
import { writeMethodsOf } from './data-ownership';
import { editYamlText, type YamlEdit } from '../../common/src/yaml-text';
import { writeFileAtomically } from '../../common/src/atomic-write';

export interface RouteChange {
  to?: string;
  percent?: number;
}

export interface WrittenChange {
  route: string;
  before: { to: string; percent: number };
  after: { to: string; percent: number };
  config: RoutesFile;
}

/**
 * Changes one route's target and/or percent in the routes file, keeping its
 * comments and layout, validates the result, and swaps it in atomically
 * (temp file + rename) so readers never see half a file.
 *
 * @example writeRouteChange('strangler-proxy/routes.yaml', 'catalog', { to: 'catalog-service', percent: 10 })
 */
export function writeRouteChange(
  file: string,
  routeName: string,
  change: RouteChange,
): WrittenChange {
  const text = fs.readFileSync(file, 'utf8');
  const current = parseRoutesText(text, file);
  const isDefault = routeName === 'default';
  const index = current.routes.findIndex((route) => route.name === routeName);
  if (!isDefault && index === -1) {
    const known = ['default', ...current.routes.map((route) => route.name)].join(', ');
    throw new ProxyError(
      'ERR_ROUTE_UNKNOWN',
      `${file}: route "${routeName}" is not defined (known: ${known})`,
    );
  }
  if (isDefault && change.percent !== undefined && change.percent !== 100) {
    throw new ProxyError(
      'ERR_ROUTES_INVALID',
      `${file}: default route: field "percent": the default route always takes 100%. Fix: flip a named route instead`,
    );
  }
  const before = isDefault
    ? { to: current.default.to, percent: 100 }
    : { to: current.routes[index].to, percent: current.routes[index].percent };
  const keyPath = isDefault ? ['default'] : ['routes', index];
  const nextText =
    file.endsWith('.json') || text.trimStart().startsWith('{')
      ? editJson(text, keyPath, change)
      : editYaml(text, keyPath, change);
  const config = parseRoutesText(nextText, file);
  const moved = isDefault ? config.default : config.routes[index];
  const percent = isDefault ? 100 : config.routes[index].percent;
  if (percent >= 100 && (moved.to !== before.to || before.percent < 100))
    assertContractsAllow(current, file, routeName, moved.to);
  writeFileAtomically(file, nextText);
  const after = isDefault
    ? { to: config.default.to, percent: 100 }
    : { to: config.routes[index].to, percent: config.routes[index].percent };
  return { route: routeName, before, after, config };
}

function editYaml(text: string, keyPath: Array<string | number>, change: RouteChange): string {
  const edits: YamlEdit[] = [];
  if (change.to !== undefined) edits.push({ path: [...keyPath, 'to'], value: change.to });
  if (change.percent !== undefined)
    edits.push({ path: [...keyPath, 'percent'], value: change.percent, after: 'to' });
  return editYamlText(text, edits);
}

function editJson(text: string, keyPath: Array<string | number>, change: RouteChange): string {
  const data = JSON.parse(text);
  let node = data;
  for (const key of keyPath) node = node[key];
  if (change.to !== undefined) node.to = change.to;
  if (change.percent !== undefined) node.percent = change.percent;
  return `${JSON.stringify(data, null, 2)}\n`;
}

export interface WrittenOwnerChange {
  set: string;
  before: string;
  owner: string;
  /** The write routes moved to the new owner at 100 %: name, before and after. */
  routes: Array<{
    route: string;
    before: { to: string; percent: number };
    after: { to: string; percent: number };
  }>;
  config: RoutesFile;
}

/**
 * Hands a data set's writes to another upstream in ONE atomic write of the routes file:
 * `dataSets.<set>.owner` and every route with `writes: <set>` that serves write methods
 * (moved to the owner at 100 %; reads-only routes stay as they are). Validated by the same
 * data ownership rule as every other table.
 *
 * @example writeOwnerChange('strangler-proxy/routes.yaml', 'catalog', 'catalog-service')
 */
export function writeOwnerChange(file: string, set: string, owner: string): WrittenOwnerChange {
  const text = fs.readFileSync(file, 'utf8');
  const current = parseRoutesText(text, file);
  const declared = current.dataSets[set];
  if (!declared)
    throw new ProxyError(
      'ERR_DATA_SET_UNKNOWN',
      `${file}: data set "${set}" is not declared under dataSets (declared: ${Object.keys(current.dataSets).join(', ') || 'none'}); declare it, e.g. dataSets: { ${set}: { owner: ${current.default.to} } }`,
    );
  if (!current.upstreams[owner])
    throw new ProxyError(
      'ERR_HOLD_CONFLICT',
      `${file}: upstream "${owner}" is not defined (known: ${Object.keys(current.upstreams).join(', ')}); the owner must be one of them`,
    );
  const moved = current.routes
    .map((route, index) => ({ route, index }))
    .filter(({ route }) => route.writes === set && writeMethodsOf(route).length > 0);
  const json = file.endsWith('.json') || text.trimStart().startsWith('{');
  let nextText: string;
  if (json) {
    const data = JSON.parse(text);
    data.dataSets[set].owner = owner;
    for (const { index } of moved) Object.assign(data.routes[index], { to: owner, percent: 100 });
    nextText = `${JSON.stringify(data, null, 2)}\n`;
  } else {
    const edits: YamlEdit[] = [{ path: ['dataSets', set, 'owner'], value: owner }];
    for (const { route, index } of moved) {
      edits.push({ path: ['routes', index, 'to'], value: owner });
      // A missing percent already means 100 %.
      if (route.percent !== 100) edits.push({ path: ['routes', index, 'percent'], value: 100 });
    }
    nextText = editYamlText(text, edits);
  }
  const config = parseRoutesText(nextText, file);
  writeFileAtomically(file, nextText);
  return {
    set,
    before: declared.owner,
    owner,
    routes: moved.map(({ route }) => ({
      route: route.name,
      before: { to: route.to, percent: route.percent },
      after: { to: owner, percent: 100 },
    })),
    config,
  };
}
