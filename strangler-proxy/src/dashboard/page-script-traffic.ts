// Parts of the page's one inline script (see page-script.ts for the rules:
// no backticks or "${", text through textContent only). They run inside the
// same function as the core, so they share el, fill, state and the formatters.

/** Traffic per route from the proxy's Prometheus text: split, error rate, latency. */
export const TRAFFIC_SCRIPT = String.raw`
  // Prometheus text format: name{label="value",...} number
  function parseMetrics(text) {
    const samples = [];
    for (const line of text.split('\n')) {
      const m = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})?\s+(\S+)/.exec(line);
      if (!m || line.startsWith('#')) continue;
      const labels = {};
      const pairs = /(\w+)="((?:[^"\\]|\\.)*)"/g;
      let p;
      while ((p = pairs.exec(m[2] || ''))) labels[p[1]] = p[2].replace(/\\n/g, '\n').replace(/\\(.)/g, '$1');
      samples.push({ name: m[1], labels, value: Number(m[3]) });
    }
    return samples;
  }

  function summariseTraffic(samples) {
    const byRoute = new Map();
    const of = (route) => {
      if (!byRoute.has(route)) byRoute.set(route, { total: 0, errors: 0, byUpstream: {}, sum: 0, count: 0, buckets: new Map() });
      return byRoute.get(route);
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

  function quantile(buckets, count, q) {
    if (!count) return null;
    const bounds = [...buckets.entries()].filter(([le]) => le !== '+Inf').map(([le, n]) => [Number(le), n]).sort((a, b) => a[0] - b[0]);
    for (const [le, n] of bounds) if (n >= q * count) return le;
    return bounds.length ? bounds[bounds.length - 1][0] : null;
  }

  function deltaOf(now, before) {
    if (!before) return null;
    const out = { total: now.total - before.total, byUpstream: {} };
    for (const [u, n] of Object.entries(now.byUpstream)) out.byUpstream[u] = n - (before.byUpstream[u] || 0);
    return out.total > 0 ? out : null;
  }

  function splitBar(byUpstream, total) {
    const entries = Object.entries(byUpstream).filter(([, n]) => n > 0);
    const bar = el('div', { className: 'bar', title: entries.map(([u, n]) => u + ' ' + percent(n / total)).join(', ') });
    for (const [u, n] of entries) {
      const part = el('span');
      part.style.width = (100 * n / total) + '%';
      part.style.background = colourOf(u);
      bar.append(part);
    }
    const legend = el('div', { className: 'legend' }, entries.flatMap(([u, n]) => [swatch(u), u + ' ' + percent(n / total)]));
    return el('div', { className: 'split' }, [bar, legend]);
  }

  function renderTraffic(text) {
    const traffic = summariseTraffic(parseMetrics(text));
    const seconds = state.previousAt ? (Date.now() - state.previousAt) / 1000 : 0;
    const rows = [];
    for (const [route, t] of traffic) {
      const delta = deltaOf(t, state.previous && state.previous.get(route));
      const shown = delta || t;
      const errorRate = t.total ? t.errors / t.total : 0;
      rows.push(el('tr', { 'data-route': route }, [
        el('td', { text: route }),
        el('td', {}, [splitBar(shown.byUpstream, shown.total), el('div', { className: 'legend', text: delta ? 'last ' + seconds.toFixed(seconds < 10 ? 1 : 0) + ' s' : 'since the proxy started' })]),
        el('td', { text: String(t.total) }),
        el('td', { className: errorRate > 0.05 ? 'bad' : errorRate > 0 ? 'warn' : 'good', text: percent(errorRate) }),
        el('td', { text: millis(t.count ? t.sum / t.count : null) }),
        el('td', { text: millis(quantile(t.buckets, t.count, 0.95)) }),
      ]));
    }
    if (!rows.length) rows.push(el('tr', {}, el('td', { colspan: 6, className: 'muted', text: 'no requests yet' })));
    fill(document.querySelector('#traffic tbody'), rows);
    // An extra refresh right after a flip must not shrink the window to nothing.
    if (Date.now() - state.previousAt >= 1000) {
      state.previous = traffic;
      state.previousAt = Date.now();
    }
  }

`;
