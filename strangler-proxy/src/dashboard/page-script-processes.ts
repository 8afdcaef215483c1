// Part of the page's one inline script (see page-script.ts for the rules:
// no backticks or "${", text through textContent only).

/** Business processes from the process monitor (PROCESS_MONITOR_URL), polled on their own. */
export const PROCESSES_SCRIPT = String.raw`
  function renderProcesses(result) {
    const box = document.getElementById('processes');
    if (!result || result.configured === false) {
      box.replaceChildren(el('p', { className: 'muted', text: 'No process monitor: start the proxy with PROCESS_MONITOR_URL (npm start does).' }));
      return;
    }
    if (result.error) {
      box.replaceChildren(el('p', { className: 'notice bad', text: 'Process monitor unreachable: ' + result.error }));
      return;
    }
    const rows = result.processes.map((p) => el('tr', { 'data-process': p.name, className: p.overdue > 0 ? 'bad' : '' }, [
      el('td', {}, [el('strong', { text: p.name }), el('div', { className: 'legend', text: p.description })]),
      el('td', {}, el('code', { text: [p.start].concat(p.steps).join(' → ') })),
      el('td', { text: p.deadlineSeconds + ' s' }),
      el('td', { className: 'started', text: String(p.started) }),
      el('td', { className: 'completed', text: p.completed + (p.completedLate ? ' (' + p.completedLate + ' late)' : '') }),
      el('td', { className: 'in-progress', text: String(p.inProgress) }),
      el('td', { className: 'overdue' }, el('span', { className: p.overdue > 0 ? 'badge state-open' : 'badge state-closed', text: String(p.overdue) })),
      el('td', {}, p.oldestOverdue.map((o) => el('div', { className: 'legend', text: o.key + ' since ' + o.startedAt + ', missing ' + o.missing.join(', ') }))),
    ]));
    box.replaceChildren(el('table', {}, [
      el('thead', {}, el('tr', {}, ['process', 'events', 'deadline', 'started', 'completed', 'in progress', 'overdue', 'oldest overdue'].map((h) => el('th', { text: h })))),
      el('tbody', {}, rows),
    ]));
  }

  (async function pollProcesses() {
    try {
      renderProcesses((await getJson(API + '/processes')).body);
    } catch (error) {
      if (error.message !== 'signed out') renderProcesses({ error: error.message });
    }
    setTimeout(pollProcesses, pollMs);
  })();
`;
