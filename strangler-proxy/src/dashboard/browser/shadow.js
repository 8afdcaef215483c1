// @ts-check
// Shadow match rates with side-by-side example diffs (GET /admin/shadow), and a route's
// promotion ladder (the `promotion` field of GET /admin/routes).
import { byId, el, percent } from './page.js';

/**
 * @typedef {object} Promotion
 * @property {string} state  running | paused | rolled-back | done (any other word is shown as is)
 * @property {'shadow' | number} step
 * @property {Array<'shadow' | number>} steps
 * @property {string} [reason]
 * @property {string} [updatedAt]
 */
/** @typedef {{ status: number, body: string, truncated?: boolean, bodyBytes?: number }} SampledAnswer */
/** @typedef {{ path: string, field: string, kind: string, a: unknown, b: unknown }} Difference */
/**
 * @typedef {object} ShadowSample
 * @property {string} route
 * @property {string} method
 * @property {string} path
 * @property {string} correlationId
 * @property {string} timestamp
 * @property {Difference[]} differences
 * @property {SampledAnswer} a
 * @property {SampledAnswer} b
 */
/**
 * @typedef {object} ShadowRoute
 * @property {string} route
 * @property {number} compared
 * @property {number} differed
 * @property {number | null} matchRate
 * @property {Record<string, number>} dropped
 * @property {Array<{ field: string, count: number }>} fields
 */
/** @typedef {{ routes: ShadowRoute[], samples: ShadowSample[] }} ShadowView */

/** @param {Promotion | null | undefined} promotion */
export function renderPromotion(promotion) {
  if (!promotion) return el('span', { className: 'muted', text: '–' });
  const steps = Array.isArray(promotion.steps) ? promotion.steps : [];
  const current = steps.findIndex((s) => String(s) === String(promotion.step));
  const ladder = el(
    'div',
    { className: 'steps' },
    steps.map((s, i) =>
      el('span', {
        className: i < current ? 'done' : i === current ? 'current' : '',
        text: typeof s === 'number' ? `${s}%` : String(s),
      }),
    ),
  );
  const lines = [
    ladder,
    el('div', {}, [
      el('span', { className: 'badge', text: String(promotion.state || 'unknown') }),
      promotion.step != null && current < 0 ? ` step ${promotion.step}` : null,
    ]),
  ];
  if (promotion.reason)
    lines.push(el('div', { className: 'muted', text: String(promotion.reason) }));
  if (promotion.updatedAt)
    lines.push(el('div', { className: 'legend', text: `since ${promotion.updatedAt}` }));
  return el('div', { className: 'promotion' }, lines);
}

/** @param {unknown} value */
const show = (value) => (typeof value === 'string' ? value : JSON.stringify(value));

/** @param {string} body */
function prettyBody(body) {
  try {
    return JSON.stringify(JSON.parse(body), null, 2);
  } catch {
    return body;
  }
}

/** @param {string[]} headings */
const headingRow = (headings) =>
  el(
    'tr',
    {},
    headings.map((h) => el('th', { text: h })),
  );

/** @param {ShadowSample} sample */
function renderSample(sample) {
  /**
   * @param {string} label
   * @param {SampledAnswer} answer
   */
  const side = (label, answer) =>
    el('div', {}, [
      el('h4', {
        text: `${label}: HTTP ${answer.status}${answer.truncated ? ` (body cut, ${answer.bodyBytes} bytes)` : ''}`,
      }),
      el('pre', { text: prettyBody(answer.body) }),
    ]);
  const differences = sample.differences.map((d) =>
    el('tr', {}, [
      el('td', {}, el('code', { text: d.path })),
      el('td', { text: d.kind }),
      el('td', {}, el('code', { text: show(d.a) })),
      el('td', {}, el('code', { text: show(d.b) })),
    ]),
  );
  return el('div', { className: 'sample', 'data-correlation-id': sample.correlationId }, [
    el('div', {}, [
      el('strong', { text: `${sample.method} ${sample.path}` }),
      el('span', {
        className: 'muted',
        text: `  ${sample.route} · ${sample.timestamp} · correlation ${sample.correlationId}`,
      }),
    ]),
    el('table', { className: 'differences' }, [
      headingRow(['path', 'kind', 'primary (a)', 'candidate (b)']),
      ...differences,
    ]),
    el('div', { className: 'side' }, [
      side('primary (a)', sample.a),
      side('candidate (b)', sample.b),
    ]),
  ]);
}

/** @param {number | null} rate */
const rateClass = (rate) =>
  rate == null ? 'muted' : rate >= 0.99 ? 'good' : rate >= 0.9 ? 'warn' : 'bad';

/** @param {{ status: number, body: ShadowView | null }} result GET /admin/shadow */
export function renderShadow(result) {
  const box = byId('shadow');
  if (result.status === 404 || !result.body)
    return box.replaceChildren(
      el('p', {
        className: 'muted',
        text: 'This proxy does not expose shadow results (GET /admin/shadow). Add shadow: <upstream> to a route to compare answers.',
      }),
    );
  const { routes, samples } = result.body;
  if (!routes.length)
    return box.replaceChildren(
      el('p', {
        className: 'muted',
        text: 'No shadow comparisons yet: add shadow: <upstream> to a route and send it traffic.',
      }),
    );
  const rows = routes.map((r) =>
    el('tr', { 'data-route': r.route }, [
      el('td', { text: r.route }),
      el('td', {
        className: rateClass(r.matchRate),
        text: r.matchRate == null ? '–' : percent(r.matchRate),
      }),
      el('td', { text: r.compared }),
      el('td', { text: r.differed }),
      el('td', {
        text:
          Object.entries(r.dropped)
            .map(([k, n]) => `${k} ${n}`)
            .join(', ') || '0',
      }),
      el(
        'td',
        {},
        r.fields
          .slice(0, 5)
          .map((f) => el('div', {}, [el('code', { text: f.field }), ` × ${f.count}`])),
      ),
    ]),
  );
  const table = el('table', { id: 'shadow-routes' }, [
    headingRow([
      'route',
      'match rate',
      'compared',
      'differed',
      'dropped',
      'fields that differ most',
    ]),
    ...rows,
  ]);
  const examples = samples.length
    ? [el('h3', { text: 'Latest differences' }), ...samples.slice(0, 5).map(renderSample)]
    : [];
  box.replaceChildren(table, ...examples);
}
