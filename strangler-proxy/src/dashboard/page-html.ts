import { ASSETS_PREFIX } from './browser-assets';
import { escapeHtml } from './escape-html';

function layout(nonce: string, title: string, body: string, head = ''): string {
  const n = escapeHtml(nonce);
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>${head}<link rel="stylesheet" href="${ASSETS_PREFIX}dashboard.css" nonce="${n}"></head>
<body>${body}</body></html>`;
}

/** The login form; `problem` is shown above it (already a plain sentence, escaped here). */
export function renderLoginPage(nonce: string, problem?: string): string {
  const message = problem ? `<p class="problem" role="alert">${escapeHtml(problem)}</p>` : '';
  return layout(
    nonce,
    'Strangler proxy: sign in',
    `
<main class="login"><h1>Strangler proxy dashboard</h1>${message}
<form method="post" action="/dashboard/login">
<label for="token">Admin token (<code>STRANGLER_ADMIN_TOKEN</code>)</label>
<input id="token" name="token" type="password" autocomplete="current-password" required autofocus>
<button type="submit">Sign in</button></form></main>`,
  );
}

/** The dashboard shell; the script (browser/dashboard.js) fills it from the admin API and /metrics. */
export function renderDashboardPage(nonce: string, csrf: string, pollMs: number): string {
  const head = `<meta name="strangler-csrf" content="${escapeHtml(csrf)}"><meta name="strangler-poll-ms" content="${pollMs}">`;
  return layout(
    nonce,
    'Strangler proxy: migration',
    `
<header><h1>Strangler proxy: migration</h1><span id="summary" class="muted">loading…</span>
<a href="/dashboard/seams" id="seams-link" target="_blank" rel="noopener">Latest seam report</a>
<form method="post" action="/dashboard/logout"><input type="hidden" name="csrf" value="${escapeHtml(csrf)}"><button type="submit">Sign out</button></form></header>
<p id="notice" role="status" class="notice" hidden></p>
<section><h2>Routes</h2><p class="muted">In precedence order. Flipping asks for confirmation and rewrites the routes file.</p>
<table id="routes"><thead><tr><th>route</th><th>match</th><th>goes to</th><th>percent</th><th>sticky</th><th>fallback</th><th>promotion</th><th>flip</th></tr></thead><tbody></tbody></table></section>
<section><h2>Data ownership</h2><p class="muted">A route marked <em>writes</em> sends its POST/PUT/PATCH/DELETE only to its data set's owner; flipping its writes elsewhere is refused. Canary reads with a read route (methods GET, HEAD); move writes with <code>npx strangler data handover &lt;set&gt; --to &lt;service&gt;</code>.</p>
<table id="data-sets"><thead><tr><th>data set</th><th>owner</th><th>write routes</th><th>write hold</th></tr></thead><tbody></tbody></table></section>
<section><h2>Traffic</h2><p class="muted" id="traffic-window">per route, from the proxy's Prometheus metrics</p>
<table id="traffic"><thead><tr><th>route</th><th>split</th><th>requests</th><th>error rate</th><th>mean latency</th><th>p95 latency</th></tr></thead><tbody></tbody></table></section>
<section><h2>Circuit breakers</h2><table id="breakers"><thead><tr><th>upstream</th><th>state</th><th>failures / requests in window</th><th>opened at</th></tr></thead><tbody></tbody></table></section>
<section><h2>Shadow comparisons</h2><div id="shadow"><p class="muted">loading…</p></div></section>
<section><h2>Business processes</h2><p class="muted">from the process monitor: instances started by an event, complete when every step's event arrived; overdue past the deadline</p><div id="processes"><p class="muted">loading…</p></div></section>
<script type="module" src="${ASSETS_PREFIX}dashboard.js" nonce="${escapeHtml(nonce)}"></script>`,
    head,
  );
}
