import { PROCESSES_SCRIPT } from './page-script-processes';
import { SHADOW_SCRIPT } from './page-script-shadow';
import { TRAFFIC_SCRIPT } from './page-script-traffic';

// The whole client, inline on purpose (no build step, no CDN, works offline).
// It is a string: the project compiles without DOM types. Rules kept here:
// no backticks or "${" (this is a template literal), and text goes into the
// page through textContent only, never innerHTML, so data cannot become markup.
// The traffic and shadow parts live in their own files and are spliced in below.
export const PAGE_SCRIPT =
  String.raw`
'use strict';
(function () {
  const meta = (name) => document.querySelector('meta[name="' + name + '"]').content;
  const csrf = meta('strangler-csrf');
  // The admin API under /dashboard/api, where the session cookie (Path=/dashboard) is sent.
  const API = '/dashboard/api';
  const pollMs = Number(meta('strangler-poll-ms')) || 2000;
  const PALETTE = ['#2456a6', '#e07b00', '#2e8b57', '#9c27b0', '#c62828', '#00838f', '#6d4c41', '#5c6bc0'];
  const state = { routesKey: '', routes: [], upstreams: [], previous: null, previousAt: 0 };

  function el(tag, props, children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(props || {})) {
      if (key === 'text') node.textContent = String(value);
      else if (key === 'className') node.className = value;
      else if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
      else node.setAttribute(key, String(value));
    }
    for (const child of [].concat(children || [])) if (child != null) node.append(child instanceof Node ? child : String(child));
    return node;
  }
  const fill = (tbody, rows) => tbody.replaceChildren(...rows);
  // An upstream keeps its colour on every bar, legend and breaker row, and across reloads:
  // the colour is its place in the routes file's upstreams (a name the file no longer has gets one from its letters).
  const colourOf = (name) => {
    const index = state.upstreams.indexOf(name);
    if (index >= 0) return PALETTE[index % PALETTE.length];
    let hash = 0;
    for (const ch of name) hash = (hash * 31 + ch.codePointAt(0)) >>> 0;
    return PALETTE[hash % PALETTE.length];
  };
  const swatch = (name) => {
    const node = el('i', { className: 'swatch' });
    node.style.background = colourOf(name);
    return node;
  };
  const dateTime = (ms) => new Date(ms).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'medium' });
  const percent = (x) => (x * 100).toFixed(x > 0 && x < 0.1 ? 1 : 0) + '%';
  const millis = (seconds) => (seconds == null ? '–' : (seconds * 1000).toFixed(seconds < 0.01 ? 2 : 1) + ' ms');

  function notice(text, bad) {
    const box = document.getElementById('notice');
    box.textContent = text;
    box.className = bad ? 'notice bad' : 'notice';
    box.hidden = false;
  }

  async function getJson(path) {
    const res = await fetch(path, { credentials: 'same-origin', headers: { accept: 'application/json' } });
    if (res.status === 401) {
      location.assign('/dashboard');
      throw new Error('signed out');
    }
    return { status: res.status, body: res.status === 404 ? null : await res.json() };
  }

` +
  TRAFFIC_SCRIPT +
  SHADOW_SCRIPT +
  PROCESSES_SCRIPT +
  String.raw`
  function flipControls(route) {
    const select = el('select', { name: 'to', 'aria-label': 'target of ' + route.name },
      state.upstreams.map((u) => el('option', { value: u, text: u })));
    select.value = route.to;
    const share = el('input', { name: 'percent', type: 'number', min: 0, max: 100, step: 1, value: route.percent, 'aria-label': 'percent for ' + route.name });
    if (route.name === 'default') share.disabled = true;
    const button = el('button', { type: 'button', text: 'Flip…', onclick: () => flip(route, select.value, Number(share.value)) });
    return el('div', { className: 'flip' }, [select, share, button]);
  }

  async function flip(route, to, share) {
    if (!Number.isFinite(share) || share < 0 || share > 100) return notice('Percent must be a number from 0 to 100.', true);
    const question = 'Flip route "' + route.name + '" to ' + to + ' at ' + share + '%?\n(now: ' + route.to + ' at ' + route.percent + '%)\nThis rewrites the routes file.';
    if (!window.confirm(question)) return notice('Flip of ' + route.name + ' cancelled.');
    const change = route.name === 'default' ? { to } : { to, percent: share };
    const res = await fetch(API + '/admin/routes/' + encodeURIComponent(route.name), {
      method: 'PATCH', credentials: 'same-origin',
      headers: { 'content-type': 'application/json', accept: 'application/json', 'x-strangler-csrf': csrf },
      body: JSON.stringify(change),
    });
    const body = await res.json().catch(() => ({}));
    if (!res.ok) return notice('Flip refused: ' + (body.error ? body.error.code + ': ' + body.error.message : 'HTTP ' + res.status), true);
    notice('Route ' + route.name + ' now goes to ' + body.after.to + ' at ' + body.after.percent + '% (routes version ' + body.version + ').');
    state.routesKey = '';
    await refresh();
  }

  function renderRoutes(routes) {
    const key = JSON.stringify([routes, state.upstreams]);
    if (key === state.routesKey) return; // keeps a half-filled flip form while polling
    state.routesKey = key;
    state.routes = routes;
    fill(document.querySelector('#routes tbody'), routes.map((r) => el('tr', { 'data-route': r.name }, [
      el('td', {}, [el('strong', { text: r.name }), r.writes ? el('div', { className: 'badge writes', title: 'its POST/PUT/PATCH/DELETE go only to the owner of data set ' + r.writes, text: 'writes ' + r.writes }) : null]),
      el('td', {}, [el('code', { text: r.match }), r.methods && r.methods !== '*' ? el('div', { className: 'legend', text: r.methods }) : null]),
      el('td', { className: 'to', text: r.to }),
      el('td', { className: 'percent', text: r.percent + '%' }),
      el('td', { text: r.sticky || 'no' }),
      el('td', { text: r.fallback }),
      el('td', {}, renderPromotion(r.promotion)),
      el('td', {}, flipControls(r)),
    ])));
  }

  function renderBreakers(breakers) {
    fill(document.querySelector('#breakers tbody'), Object.entries(breakers || {}).map(([name, b]) => el('tr', { 'data-upstream': name }, [
      el('td', {}, [swatch(name), name]),
      el('td', {}, el('span', { className: 'badge state-' + b.state, text: b.state })),
      el('td', { text: b.requests != null ? b.failures + ' / ' + b.requests : '–' }),
      el('td', { className: 'opened-at', text: b.openedAt ? dateTime(b.openedAt) : '–' }),
    ])));
  }

  // Who owns which data: write routes follow the owner; a hold queues writes during a handover.
  function renderDataSets(sets) {
    const rows = (sets || []).map((d) => el('tr', { 'data-set': d.set }, [
      el('td', {}, el('strong', { text: d.set })),
      el('td', { className: 'owner', text: d.owner }),
      el('td', { text: d.writeRoutes.join(', ') || 'none' }),
      el('td', { className: d.hold ? 'warn hold' : 'hold', text: d.hold ? 'held since ' + new Date(d.hold.since).toLocaleTimeString() + ', ' + d.hold.queued + ' waiting' + (d.hold.releasing ? ', releasing' : ', until ' + new Date(d.hold.expiresAt).toLocaleTimeString()) : 'no' }),
    ]));
    if (!rows.length) rows.push(el('tr', {}, el('td', { colspan: 4, className: 'muted', text: 'no dataSets in the routes file: writes are not checked' })));
    fill(document.querySelector('#data-sets tbody'), rows);
  }

  async function refresh() {
    try {
      const [routes, status, shadow, metrics, dataSets] = await Promise.all([
        getJson(API + '/admin/routes'), getJson(API + '/admin/status'), getJson(API + '/admin/shadow'),
        fetch(API + '/metrics', { credentials: 'same-origin' }).then((r) => r.text()),
        getJson(API + '/admin/data-sets'),
      ]);
      renderDataSets(dataSets.body);
      state.upstreams = Object.keys(status.body.breakers || {});
      document.getElementById('summary').textContent = 'engine ' + status.body.engine + ' · routes v' + status.body.version + ' · ' + (status.body.routesFile || 'in memory') +
        (status.body.lastReload && !status.body.lastReload.ok ? ' · last reload REFUSED: ' + status.body.lastReload.error.message : '');
      renderRoutes(routes.body.routes);
      renderBreakers(status.body.breakers);
      renderShadow(shadow);
      renderTraffic(metrics);
      document.body.dataset.loaded = String(Date.now());
    } catch (error) {
      if (error.message !== 'signed out') notice('Could not refresh: ' + error.message, true);
    }
  }

  // A chain rather than setInterval: a slow refresh never overlaps the next one.
  (async function poll() {
    await refresh();
    setTimeout(poll, pollMs);
  })();
})();
`;
