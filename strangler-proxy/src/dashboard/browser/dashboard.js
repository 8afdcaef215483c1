// @ts-check
// The page's entry (a module script): routes with their flip controls, data ownership and
// breakers, refreshed from the admin API every poll; traffic, shadow and processes live in
// their own modules.
import {
  API,
  byId,
  csrf,
  dateTime,
  el,
  fillTable,
  getJson,
  messageOf,
  notice,
  pollMs,
  SIGNED_OUT,
  swatch,
  upstreams,
} from './page.js';
import { pollProcesses } from './processes.js';
import { renderPromotion, renderShadow } from './shadow.js';
import { renderTraffic } from './traffic.js';

/** @typedef {import('./shadow.js').Promotion} Promotion */
/** @typedef {import('./shadow.js').ShadowView} ShadowView */
/**
 * @typedef {object} Route  one route of GET /admin/routes
 * @property {string} name
 * @property {string} match
 * @property {string} methods
 * @property {string} to
 * @property {number} percent
 * @property {string | null} sticky
 * @property {string} fallback
 * @property {string | null} writes
 * @property {Promotion} [promotion]
 */
/** @typedef {{ state: string, failures?: number, requests?: number, openedAt?: number | null }} Breaker */
/**
 * @typedef {object} Status  GET /admin/status
 * @property {string} engine
 * @property {number} version
 * @property {string | null} routesFile
 * @property {{ ok: boolean, error?: { message: string } } | null} lastReload
 * @property {Record<string, Breaker>} breakers
 */
/**
 * @typedef {object} DataSet  one data set of GET /admin/data-sets
 * @property {string} set
 * @property {string} owner
 * @property {string[]} writeRoutes
 * @property {{ since: number, queued: number, releasing: boolean, expiresAt: number } | null} hold
 */

/** The routes as last drawn: redrawing only on change keeps a half-filled flip form while polling. */
let routesKey = '';

/** @param {Route} route */
function flipControls(route) {
  const select = el(
    'select',
    { name: 'to', 'aria-label': `target of ${route.name}` },
    upstreams.names.map((u) => el('option', { value: u, text: u })),
  );
  select.value = route.to;
  const share = el('input', {
    name: 'percent',
    type: 'number',
    min: 0,
    max: 100,
    step: 1,
    value: route.percent,
    'aria-label': `percent for ${route.name}`,
  });
  if (route.name === 'default') share.disabled = true;
  const button = el('button', {
    type: 'button',
    text: 'Flip…',
    onclick: () => flip(route, select.value, Number(share.value)),
  });
  return el('div', { className: 'flip' }, [select, share, button]);
}

/**
 * Asks first, then PATCH /admin/routes/<name>; a refusal is shown as the API gives it.
 *
 * @param {Route} route
 * @param {string} to
 * @param {number} share
 */
async function flip(route, to, share) {
  if (!Number.isFinite(share) || share < 0 || share > 100)
    return notice('Percent must be a number from 0 to 100.', true);
  const question = `Flip route "${route.name}" to ${to} at ${share}%?\n(now: ${route.to} at ${route.percent}%)\nThis rewrites the routes file.`;
  if (!window.confirm(question)) return notice(`Flip of ${route.name} cancelled.`);
  const change = route.name === 'default' ? { to } : { to, percent: share };
  const res = await fetch(`${API}/admin/routes/${encodeURIComponent(route.name)}`, {
    method: 'PATCH',
    credentials: 'same-origin',
    headers: {
      'content-type': 'application/json',
      accept: 'application/json',
      'x-strangler-csrf': csrf,
    },
    body: JSON.stringify(change),
  });
  const body = await res.json().catch(() => ({}));
  if (!res.ok)
    return notice(
      `Flip refused: ${body.error ? `${body.error.code}: ${body.error.message}` : `HTTP ${res.status}`}`,
      true,
    );
  notice(
    `Route ${route.name} now goes to ${body.after.to} at ${body.after.percent}% (routes version ${body.version}).`,
  );
  routesKey = '';
  await refresh();
}

/** @param {Route[]} routes */
function renderRoutes(routes) {
  const key = JSON.stringify([routes, upstreams.names]);
  if (key === routesKey) return;
  routesKey = key;
  const rows = routes.map((r) =>
    el('tr', { 'data-route': r.name }, [
      el('td', {}, [
        el('strong', { text: r.name }),
        r.writes
          ? el('div', {
              className: 'badge writes',
              title: `its POST/PUT/PATCH/DELETE go only to the owner of data set ${r.writes}`,
              text: `writes ${r.writes}`,
            })
          : null,
      ]),
      el('td', {}, [
        el('code', { text: r.match }),
        r.methods && r.methods !== '*' ? el('div', { className: 'legend', text: r.methods }) : null,
      ]),
      el('td', { className: 'to', text: r.to }),
      el('td', { className: 'percent', text: `${r.percent}%` }),
      el('td', { text: r.sticky || 'no' }),
      el('td', { text: r.fallback }),
      el('td', {}, renderPromotion(r.promotion)),
      el('td', {}, flipControls(r)),
    ]),
  );
  fillTable('routes', rows);
}

/** @param {Record<string, Breaker>} breakers */
function renderBreakers(breakers) {
  const rows = Object.entries(breakers).map(([name, b]) =>
    el('tr', { 'data-upstream': name }, [
      el('td', {}, [swatch(name), name]),
      el('td', {}, el('span', { className: `badge state-${b.state}`, text: b.state })),
      el('td', { text: b.requests != null ? `${b.failures} / ${b.requests}` : '–' }),
      el('td', { className: 'opened-at', text: b.openedAt ? dateTime(b.openedAt) : '–' }),
    ]),
  );
  fillTable('breakers', rows);
}

/** @param {DataSet['hold']} hold */
function describeHold(hold) {
  if (!hold) return 'no';
  const until = hold.releasing
    ? ', releasing'
    : `, until ${new Date(hold.expiresAt).toLocaleTimeString()}`;
  return `held since ${new Date(hold.since).toLocaleTimeString()}, ${hold.queued} waiting${until}`;
}

/**
 * Who owns which data: write routes follow the owner; a hold queues writes during a handover.
 *
 * @param {DataSet[] | null} sets
 */
function renderDataSets(sets) {
  const rows = (sets ?? []).map((d) =>
    el('tr', { 'data-set': d.set }, [
      el('td', {}, el('strong', { text: d.set })),
      el('td', { className: 'owner', text: d.owner }),
      el('td', { text: d.writeRoutes.join(', ') || 'none' }),
      el('td', { className: d.hold ? 'warn hold' : 'hold', text: describeHold(d.hold) }),
    ]),
  );
  if (!rows.length)
    rows.push(
      el(
        'tr',
        {},
        el('td', {
          colspan: 4,
          className: 'muted',
          text: 'no dataSets in the routes file: writes are not checked',
        }),
      ),
    );
  fillTable('data-sets', rows);
}

/** @param {Status} status */
function summaryOf(status) {
  const refused =
    status.lastReload && !status.lastReload.ok
      ? ` · last reload REFUSED: ${status.lastReload.error?.message}`
      : '';
  return `engine ${status.engine} · routes v${status.version} · ${status.routesFile || 'in memory'}${refused}`;
}

async function refresh() {
  try {
    const [routes, status, shadow, metrics, dataSets] = await Promise.all([
      /** @type {Promise<{ body: { routes: Route[] } }>} */ (getJson(`${API}/admin/routes`)),
      /** @type {Promise<{ body: Status }>} */ (getJson(`${API}/admin/status`)),
      /** @type {Promise<{ status: number, body: ShadowView | null }>} */ (
        getJson(`${API}/admin/shadow`)
      ),
      fetch(`${API}/metrics`, { credentials: 'same-origin' }).then((r) => r.text()),
      /** @type {Promise<{ body: DataSet[] | null }>} */ (getJson(`${API}/admin/data-sets`)),
    ]);
    renderDataSets(dataSets.body);
    upstreams.names = Object.keys(status.body.breakers || {});
    byId('summary').textContent = summaryOf(status.body);
    renderRoutes(routes.body.routes);
    renderBreakers(status.body.breakers || {});
    renderShadow(shadow);
    renderTraffic(metrics);
    document.body.dataset.loaded = String(Date.now());
  } catch (error) {
    if (messageOf(error) !== SIGNED_OUT) notice(`Could not refresh: ${messageOf(error)}`, true);
  }
}

// A chain rather than setInterval: a slow refresh never overlaps the next one.
async function poll() {
  await refresh();
  setTimeout(poll, pollMs);
}

void poll();
void pollProcesses();
