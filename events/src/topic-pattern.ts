/**
 * RabbitMQ topic matching, so the embedded broker routes exactly like a topic exchange:
 * words are split on '.', '*' matches one word, '#' zero or more.
 *
 * @example matchesTopic('warehouse.order.*', 'warehouse.order.placed') // true
 */
export function matchesTopic(pattern: string, routingKey: string): boolean {
  return matchWords(pattern.split('.'), 0, routingKey.split('.'), 0);
}

function matchWords(pattern: string[], p: number, key: string[], k: number): boolean {
  if (p === pattern.length) return k === key.length;
  const word = pattern[p];
  if (word === '#') {
    for (let skip = k; skip <= key.length; skip++)
      if (matchWords(pattern, p + 1, key, skip)) return true;
    return false;
  }
  if (k === key.length) return false;
  return (word === '*' || word === key[k]) && matchWords(pattern, p + 1, key, k + 1);
}

const PATTERN = /^(\*|#|[a-z0-9-]+)(\.(\*|#|[a-z0-9-]+))*$/;

export function isTopicPattern(pattern: string): boolean {
  return PATTERN.test(pattern);
}
