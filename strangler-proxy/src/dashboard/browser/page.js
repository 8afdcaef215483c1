// @ts-check
// What every part of the page shares: the admin API's address, element building, colours and
// number formats. SECURITY: text reaches the page through textContent only, never innerHTML,
// so data from the proxy or its upstreams cannot become markup.

/** @param {string} name */
function meta(name) {
  const node = /** @type {HTMLMetaElement | null} */ (
    document.querySelector(`meta[name="${name}"]`)
  );
  if (!node) throw new Error(`the page has no <meta name="${name}">`);
  return node.content;
}

/** Sent back in x-strangler-csrf on every change: only this page knows it. */
export const csrf = meta('strangler-csrf');
/** The admin API under /dashboard/api, where the session cookie (Path=/dashboard) is sent. */
export const API = '/dashboard/api';
export const pollMs = Number(meta('strangler-poll-ms')) || 2000;

/** @typedef {Node | string | number | null | undefined} Child */

/**
 * A new element: `text` becomes its textContent, `className` its class, `on<event>` a listener,
 * anything else an attribute.
 *
 * @template {keyof HTMLElementTagNameMap} K
 * @param {K} tag
 * @param {Record<string, unknown>} [props]
 * @param {Child | Child[]} [children]
 * @returns {HTMLElementTagNameMap[K]}
 */
export function el(tag, props = {}, children = []) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (key === 'text') node.textContent = String(value);
    else if (key === 'className') node.className = String(value);
    else if (key.startsWith('on'))
      node.addEventListener(key.slice(2), /** @type {EventListener} */ (value));
    else node.setAttribute(key, String(value));
  }
  for (const child of Array.isArray(children) ? children : [children])
    if (child != null) node.append(child instanceof Node ? child : String(child));
  return node;
}

/** @param {string} id */
export function byId(id) {
  const node = document.getElementById(id);
  if (!node) throw new Error(`the page has no #${id}`);
  return node;
}

/**
 * Replaces the rows of a table's body.
 *
 * @param {string} tableId
 * @param {Node[]} rows
 */
export function fillTable(tableId, rows) {
  const body = document.querySelector(`#${tableId} tbody`);
  if (!body) throw new Error(`the page has no #${tableId} tbody`);
  body.replaceChildren(...rows);
}

const PALETTE = [
  '#2456a6',
  '#e07b00',
  '#2e8b57',
  '#9c27b0',
  '#c62828',
  '#00838f',
  '#6d4c41',
  '#5c6bc0',
];

/** The routes file's upstreams, in its order: set on each refresh from GET /admin/status. */
export const upstreams = { names: /** @type {string[]} */ ([]) };

/**
 * An upstream keeps its colour on every bar, legend and breaker row, and across reloads: the
 * colour is its place in the routes file's upstreams (a name the file no longer has gets one
 * from its letters).
 *
 * @param {string} name
 */
export function colourOf(name) {
  const index = upstreams.names.indexOf(name);
  if (index >= 0) return PALETTE[index % PALETTE.length];
  let hash = 0;
  for (const ch of name) hash = (hash * 31 + (ch.codePointAt(0) ?? 0)) >>> 0;
  return PALETTE[hash % PALETTE.length];
}

/** @param {string} name */
export function swatch(name) {
  const node = el('i', { className: 'swatch' });
  node.style.background = colourOf(name);
  return node;
}

/** @param {number} ms */
export const dateTime = (ms) =>
  new Date(ms).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'medium' });
/** @param {number} x a fraction */
export const percent = (x) => `${(x * 100).toFixed(x > 0 && x < 0.1 ? 1 : 0)}%`;
/** @param {number | null} seconds */
export const millis = (seconds) =>
  seconds == null ? '–' : `${(seconds * 1000).toFixed(seconds < 0.01 ? 2 : 1)} ms`;

/**
 * @param {string} text
 * @param {boolean} [bad]
 */
export function notice(text, bad = false) {
  const box = byId('notice');
  box.textContent = text;
  box.className = bad ? 'notice bad' : 'notice';
  box.hidden = false;
}

/** Thrown after a 401 sent the page back to the sign-in form; callers stay quiet about it. */
export const SIGNED_OUT = 'signed out';

/**
 * GET a JSON endpoint; a 404 gives a null body (the page says what the proxy does not expose).
 *
 * @param {string} path
 * @returns {Promise<{ status: number, body: unknown }>}
 */
export async function getJson(path) {
  const res = await fetch(path, {
    credentials: 'same-origin',
    headers: { accept: 'application/json' },
  });
  if (res.status === 401) {
    location.assign('/dashboard');
    throw new Error(SIGNED_OUT);
  }
  return { status: res.status, body: res.status === 404 ? null : await res.json() };
}

/** @param {unknown} error */
export const messageOf = (error) => (error instanceof Error ? error.message : String(error));
