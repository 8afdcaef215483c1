import type { CompiledRules, Tolerance } from './compare-rules';
import type { Difference, DifferenceKind } from './difference';
import { PathNode } from './path-node';

interface Walk {
  rules: CompiledRules;
  noise: ReadonlySet<string>;
  out: Difference[];
  truncated: boolean;
}

type JsonType = 'null' | 'array' | 'object' | 'number' | 'string' | 'boolean';

// necessary because a hostile or broken body can nest deeper than the call stack: below this depth, plain equality without recursion.
const MAX_DEPTH = 256;

/** Structural diff of two parsed JSON values under the rules; appends to `out`, returns true when it had to stop early. */
export function compareJson(
  a: unknown,
  b: unknown,
  rules: CompiledRules,
  noise: ReadonlySet<string>,
  out: Difference[],
): boolean {
  const walk: Walk = { rules, noise, out, truncated: false };
  compareNode(a, b, PathNode.root(), walk);
  return walk.truncated;
}

function compareNode(a: unknown, b: unknown, node: PathNode, walk: Walk): void {
  if (walk.truncated || isIgnored(node, walk)) return;
  const typeA = typeOf(a);
  const typeB = typeOf(b);
  if (typeA !== typeB) return push(walk, node, 'type', a, b);
  if (node.depth >= MAX_DEPTH && (typeA === 'object' || typeA === 'array'))
    return compareDeepTail(a, b, node, walk);
  if (typeA === 'object')
    return compareObjects(a as Record<string, unknown>, b as Record<string, unknown>, node, walk);
  if (typeA === 'array') return compareArrays(a as unknown[], b as unknown[], node, walk);
  if (
    typeA === 'number' &&
    withinTolerance(a as number, b as number, toleranceFor(node, walk.rules))
  )
    return;
  if (a !== b) push(walk, node, 'value', a, b);
}

function compareObjects(
  a: Record<string, unknown>,
  b: Record<string, unknown>,
  node: PathNode,
  walk: Walk,
): void {
  for (const key of Object.keys(a)) {
    const child = node.child({ key });
    if (Object.hasOwn(b, key)) compareNode(a[key], b[key], child, walk);
    else if (!isIgnored(child, walk)) push(walk, child, 'missing', a[key], undefined);
  }
  for (const key of Object.keys(b)) {
    if (Object.hasOwn(a, key)) continue;
    const child = node.child({ key });
    if (!isIgnored(child, walk)) push(walk, child, 'extra', undefined, b[key]);
  }
}

function compareArrays(a: unknown[], b: unknown[], node: PathNode, walk: Walk): void {
  const key = walk.rules.arrayKeys.find((entry) => node.matches(entry.pattern))?.key;
  const byKeyA = key === undefined ? null : indexByKey(a, key);
  const byKeyB = key === undefined ? null : indexByKey(b, key);
  if (key !== undefined && byKeyA && byKeyB) {
    const seen = new Map([...byKeyA].map(([k, item]) => [k, { a: item, b: byKeyB.get(k) }]));
    for (const [k, item] of byKeyB) if (!byKeyA.has(k)) seen.set(k, { a: undefined, b: item });
    for (const [, pair] of seen) {
      const keyValue = ((pair.a ?? pair.b) as Record<string, unknown>)[key];
      pairUp(
        pair.a,
        pair.b,
        node.child({ keyed: key, value: keyValue }),
        walk,
        pair.b === undefined,
        pair.a === undefined,
      );
    }
    return;
  }
  // Without a usable key (no rule, an element without the key, or a duplicate key) elements pair by position.
  for (let index = 0; index < Math.max(a.length, b.length); index++) {
    pairUp(a[index], b[index], node.child({ index }), walk, index >= b.length, index >= a.length);
  }
}

function compareDeepTail(a: unknown, b: unknown, node: PathNode, walk: Walk): void {
  if (!equalWithoutRecursion(a, b))
    push(walk, node, 'value', '(nested too deep to show)', '(nested too deep to show)');
}

/** Plain structural equality with an explicit stack, for subtrees deeper than MAX_DEPTH (rules do not apply there). */
function equalWithoutRecursion(a: unknown, b: unknown): boolean {
  const stack: Array<[unknown, unknown]> = [[a, b]];
  while (stack.length > 0) {
    const [x, y] = stack.pop()!;
    const type = typeOf(x);
    if (type !== typeOf(y)) return false;
    if (type !== 'object' && type !== 'array') {
      if (x !== y && !(x == null && y == null)) return false;
      continue;
    }
    const keysX = Object.keys(x as object);
    const keysY = Object.keys(y as object);
    if (keysX.length !== keysY.length) return false;
    for (const key of keysX) {
      if (!Object.hasOwn(y as object, key)) return false;
      stack.push([(x as Record<string, unknown>)[key], (y as Record<string, unknown>)[key]]);
    }
  }
  return true;
}

function pairUp(
  a: unknown,
  b: unknown,
  child: PathNode,
  walk: Walk,
  onlyA: boolean,
  onlyB: boolean,
): void {
  if (onlyA) return isIgnored(child, walk) ? undefined : push(walk, child, 'missing', a, undefined);
  if (onlyB) return isIgnored(child, walk) ? undefined : push(walk, child, 'extra', undefined, b);
  compareNode(a, b, child, walk);
}

function indexByKey(items: unknown[], key: string): Map<string, unknown> | null {
  const map = new Map<string, unknown>();
  for (const item of items) {
    if (typeOf(item) !== 'object' || !Object.hasOwn(item as object, key)) return null;
    const id = JSON.stringify((item as Record<string, unknown>)[key]);
    if (map.has(id)) return null;
    map.set(id, item);
  }
  return map;
}

function isIgnored(node: PathNode, walk: Walk): boolean {
  return (
    (walk.noise.size > 0 && walk.noise.has(node.field)) ||
    walk.rules.ignore.some((pattern) => node.matches(pattern))
  );
}

function toleranceFor(node: PathNode, rules: CompiledRules): Tolerance {
  return (
    rules.toleranceByPath.find((entry) => node.matches(entry.pattern))?.tolerance ?? rules.tolerance
  );
}

/** Equal within max(absolute, relative × the larger magnitude). */
export function withinTolerance(a: number, b: number, tolerance: Tolerance): boolean {
  if (a === b) return true;
  const allowed = Math.max(
    tolerance.absolute,
    tolerance.relative * Math.max(Math.abs(a), Math.abs(b)),
  );
  return Math.abs(a - b) <= allowed;
}

function typeOf(value: unknown): JsonType {
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value as JsonType;
}

function push(walk: Walk, node: PathNode, kind: DifferenceKind, a: unknown, b: unknown): void {
  if (walk.out.length >= walk.rules.maxDifferences) {
    walk.truncated = true;
    return;
  }
  walk.out.push({ path: node.path, field: node.field, kind, a, b });
}
