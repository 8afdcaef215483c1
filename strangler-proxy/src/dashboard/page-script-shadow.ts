// Parts of the page's one inline script (see page-script.ts for the rules:
// no backticks or "${", text through textContent only). They run inside the
// same function as the core, so they share el, fill, state and the formatters.

/** Shadow match rates with side-by-side example diffs, and a route's promotion ladder. */
export const SHADOW_SCRIPT = String.raw`
  function renderPromotion(promotion) {
    if (!promotion) return el('span', { className: 'muted', text: '–' });
    const steps = Array.isArray(promotion.steps) ? promotion.steps : [];
    const current = steps.findIndex((s) => String(s) === String(promotion.step));
    const ladder = el('div', { className: 'steps' }, steps.map((s, i) =>
      el('span', { className: i < current ? 'done' : i === current ? 'current' : '', text: typeof s === 'number' ? s + '%' : String(s) })));
    const lines = [ladder, el('div', {}, [el('span', { className: 'badge', text: String(promotion.state || 'unknown') }), promotion.step != null && current < 0 ? ' step ' + promotion.step : null])];
    if (promotion.reason) lines.push(el('div', { className: 'muted', text: String(promotion.reason) }));
    if (promotion.updatedAt) lines.push(el('div', { className: 'legend', text: 'since ' + promotion.updatedAt }));
    return el('div', { className: 'promotion' }, lines);
  }

  const show = (value) => (typeof value === 'string' ? value : JSON.stringify(value));
  function renderSample(sample) {
    const side = (label, answer) => el('div', {}, [
      el('h4', { text: label + ': HTTP ' + answer.status + (answer.truncated ? ' (body cut, ' + answer.bodyBytes + ' bytes)' : '') }),
      el('pre', { text: prettyBody(answer.body) }),
    ]);
    return el('div', { className: 'sample', 'data-correlation-id': sample.correlationId }, [
      el('div', {}, [el('strong', { text: sample.method + ' ' + sample.path }), el('span', { className: 'muted', text: '  ' + sample.route + ' · ' + sample.timestamp + ' · correlation ' + sample.correlationId })]),
      el('table', { className: 'differences' }, [el('tr', {}, ['path', 'kind', 'primary (a)', 'candidate (b)'].map((h) => el('th', { text: h })))].concat(
        sample.differences.map((d) => el('tr', {}, [el('td', {}, el('code', { text: d.path })), el('td', { text: d.kind }), el('td', {}, el('code', { text: show(d.a) })), el('td', {}, el('code', { text: show(d.b) }))])))),
      el('div', { className: 'side' }, [side('primary (a)', sample.a), side('candidate (b)', sample.b)]),
    ]);
  }
  function prettyBody(body) {
    try { return JSON.stringify(JSON.parse(body), null, 2); } catch (e) { return body; }
  }

  function renderShadow(result) {
    const box = document.getElementById('shadow');
    if (result.status === 404) return box.replaceChildren(el('p', { className: 'muted', text: 'This proxy does not expose shadow results (GET /admin/shadow). Add shadow: <upstream> to a route to compare answers.' }));
    const { routes, samples } = result.body;
    if (!routes.length) return box.replaceChildren(el('p', { className: 'muted', text: 'No shadow comparisons yet: add shadow: <upstream> to a route and send it traffic.' }));
    const table = el('table', { id: 'shadow-routes' }, [el('tr', {}, ['route', 'match rate', 'compared', 'differed', 'dropped', 'fields that differ most'].map((h) => el('th', { text: h })))].concat(
      routes.map((r) => el('tr', { 'data-route': r.route }, [
        el('td', { text: r.route }),
        el('td', { className: r.matchRate == null ? 'muted' : r.matchRate >= 0.99 ? 'good' : r.matchRate >= 0.9 ? 'warn' : 'bad', text: r.matchRate == null ? '–' : percent(r.matchRate) }),
        el('td', { text: r.compared }), el('td', { text: r.differed }),
        el('td', { text: Object.entries(r.dropped).map(([k, n]) => k + ' ' + n).join(', ') || '0' }),
        el('td', {}, r.fields.slice(0, 5).map((f) => el('div', {}, [el('code', { text: f.field }), ' × ' + f.count]))),
      ]))));
    const examples = samples.length ? [el('h3', { text: 'Latest differences' })].concat(samples.slice(0, 5).map(renderSample)) : [];
    box.replaceChildren(table, ...examples);
  }

`;
