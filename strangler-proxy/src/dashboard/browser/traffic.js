// @ts-check
// Traffic per route from the proxy's Prometheus text: split between upstreams, error rate, latency.
import { colourOf, el, fillTable, millis, percent, swatch } from './page.js';

/** @typedef {{ name: string, labels: Record<string, string>, value: number }} Sample */
/**
 * @typedef {object} RouteTraffic
 * @property {number} total
 * @property {number} errors
 * @property {Record<string, number>} byUpstream
 * @property {number} sum  seconds of latency, summed
 * @property {number} count
 * @property {Map<string, number>} buckets  histogram bucket (le) → cumulative count
 */

/**
 * Prometheus text format: name{label="value",...} number
 *
 * @param {string} text
 * @returns {Sample[]}
 */
function parseMetrics(text) {
  const samples = [];
  for (const line of text.split('\n')) {
    const m = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})?\s+(\S+)/.exec(line);
    if (!m || line.startsWith('#')) continue;
    /** @type {Record<string, string>} */
    const labels = {};
    const pairs = /(\w+)="((?:[^"\\]|\\.)*)"/g;
    let p;
    while ((p = pairs.exec(m[2] || '')))
      labels[p[1]] = p[2].replace(/\\n/g, '\n').replace(/\\(.)/g, '$1');
    samples.push({ name: m[1], labels, value: Number(m[3]) });
  }
  return samples;
}

/**
 * @param {Sample[]} samples
 * @returns {Map<string, RouteTraffic>}
 */
function summariseTraffic(samples) {
  /** @type {Map<string, RouteTraffic>} */
  const byRoute = new Map();
  /** @param {string} route */
  const of = (route) => {
    let traffic = byRoute.get(route);
    if (!traffic) {
      traffic = { total: 0, errors: 0, byUpstream: {}, sum: 0, count: 0, buckets: new Map() };
      byRoute.set(route, traffic);
    }
    return traffic;
  };
  for (const s of samples) {
    const r = s.labels.route;
    if (r === undefined) continue;
    if (s.name === 'strangler_proxy_requests_total') {
      const t = of(r);
      t.total += s.value;
      t.byUpstream[s.labels.upstream] = (t.byUpstream[s.labels.upstream] || 0) + s.value;
      if (s.labels.status_class === '5xx' || s.labels.status_class === 'error') t.errors += s.value;
    } else if (s.name === 'strangler_proxy_request_duration_seconds_sum') of(r).sum += s.value;
    else if (s.name === 'strangler_proxy_request_duration_seconds_count') of(r).count += s.value;
    else if (s.name === 'strangler_proxy_request_duration_seconds_bucket') {
      const b = of(r).buckets;
      b.set(s.labels.le, (b.get(s.labels.le) || 0) + s.value);
    }
  }
  return byRoute;
}

/**
 * @param {Map<string, number>} buckets
 * @param {number} count
 * @param {number} q
 * @returns {number | null}
 */
function quantile(buckets, count, q) {
  if (!count) return null;
  const bounds = [...buckets.entries()]
    .filter(([le]) => le !== '+Inf')
    .map(([le, n]) => [Number(le), n])
    .sort((a, b) => a[0] - b[0]);
  for (const [le, n] of bounds) if (n >= q * count) return le;
  return bounds.length ? bounds[bounds.length - 1][0] : null;
}

/**
 * The requests since the previous poll, or null when there is no previous poll or no new request.
 *
 * @param {RouteTraffic} now
 * @param {RouteTraffic | undefined} before
 * @returns {{ total: number, byUpstream: Record<string, number> } | null}
 */
function deltaOf(now, before) {
  if (!before) return null;
  /** @type {Record<string, number>} */
  const byUpstream = {};
  for (const [u, n] of Object.entries(now.byUpstream))
    byUpstream[u] = n - (before.byUpstream[u] || 0);
  const total = now.total - before.total;
  return total > 0 ? { total, byUpstream } : null;
}

/**
 * @param {Record<string, number>} byUpstream
 * @param {number} total
 */
function splitBar(byUpstream, total) {
  const entries = Object.entries(byUpstream).filter(([, n]) => n > 0);
  const bar = el('div', {
    className: 'bar',
    title: entries.map(([u, n]) => `${u} ${percent(n / total)}`).join(', '),
  });
  for (const [u, n] of entries) {
    const part = el('span');
    part.style.width = `${(100 * n) / total}%`;
    part.style.background = colourOf(u);
    bar.append(part);
  }
  const legend = el(
    'div',
    { className: 'legend' },
    entries.flatMap(([u, n]) => [swatch(u), `${u} ${percent(n / total)}`]),
  );
  return el('div', { className: 'split' }, [bar, legend]);
}

/** The previous poll's counters, to show the split of the last interval. */
const previous = { traffic: /** @type {Map<string, RouteTraffic> | null} */ (null), at: 0 };

/** @param {string} text the proxy's /metrics */
export function renderTraffic(text) {
  const traffic = summariseTraffic(parseMetrics(text));
  const seconds = previous.at ? (Date.now() - previous.at) / 1000 : 0;
  const rows = [];
  for (const [route, t] of traffic) {
    const delta = deltaOf(t, previous.traffic?.get(route));
    const shown = delta || t;
    const errorRate = t.total ? t.errors / t.total : 0;
    const window = delta
      ? `last ${seconds.toFixed(seconds < 10 ? 1 : 0)} s`
      : 'since the proxy started';
    rows.push(
      el('tr', { 'data-route': route }, [
        el('td', { text: route }),
        el('td', {}, [
          splitBar(shown.byUpstream, shown.total),
          el('div', { className: 'legend', text: window }),
        ]),
        el('td', { text: String(t.total) }),
        el('td', {
          className: errorRate > 0.05 ? 'bad' : errorRate > 0 ? 'warn' : 'good',
          text: percent(errorRate),
        }),
        el('td', { text: millis(t.count ? t.sum / t.count : null) }),
        el('td', { text: millis(quantile(t.buckets, t.count, 0.95)) }),
      ]),
    );
  }
  if (!rows.length)
    rows.push(el('tr', {}, el('td', { colspan: 6, className: 'muted', text: 'no requests yet' })));
  fillTable('traffic', rows);
  // An extra refresh right after a flip must not shrink the window to nothing.
  if (Date.now() - previous.at >= 1000) {
    previous.traffic = traffic;
    previous.at = Date.now();
  }
}
