// @ts-check
// Business processes from the process monitor (PROCESS_MONITOR_URL), polled on their own:
// GET /dashboard/api/processes, which the proxy fetches for the page.
import { API, byId, el, getJson, messageOf, pollMs, SIGNED_OUT } from './page.js';

/**
 * @typedef {object} ProcessSummary
 * @property {string} name
 * @property {string} description
 * @property {string} start
 * @property {string[]} steps
 * @property {number} deadlineSeconds
 * @property {number} started
 * @property {number} completed
 * @property {number} completedLate
 * @property {number} inProgress
 * @property {number} overdue
 * @property {Array<{ key: string, startedAt: string, missing: string[] }>} oldestOverdue
 */
/** @typedef {{ configured?: boolean, error?: string, processes?: ProcessSummary[] }} ProcessesAnswer */

/** @param {ProcessesAnswer | null} result */
function renderProcesses(result) {
  const box = byId('processes');
  if (!result || result.configured === false) {
    box.replaceChildren(
      el('p', {
        className: 'muted',
        text: 'No process monitor: start the proxy with PROCESS_MONITOR_URL (npm start does).',
      }),
    );
    return;
  }
  if (result.error || !result.processes) {
    box.replaceChildren(
      el('p', {
        className: 'notice bad',
        text: `Process monitor unreachable: ${result.error ?? 'no answer'}`,
      }),
    );
    return;
  }
  const rows = result.processes.map((p) =>
    el('tr', { 'data-process': p.name, className: p.overdue > 0 ? 'bad' : '' }, [
      el('td', {}, [
        el('strong', { text: p.name }),
        el('div', { className: 'legend', text: p.description }),
      ]),
      el('td', {}, el('code', { text: [p.start, ...p.steps].join(' → ') })),
      el('td', { text: `${p.deadlineSeconds} s` }),
      el('td', { className: 'started', text: String(p.started) }),
      el('td', {
        className: 'completed',
        text: p.completed + (p.completedLate ? ` (${p.completedLate} late)` : ''),
      }),
      el('td', { className: 'in-progress', text: String(p.inProgress) }),
      el(
        'td',
        { className: 'overdue' },
        el('span', {
          className: p.overdue > 0 ? 'badge state-open' : 'badge state-closed',
          text: String(p.overdue),
        }),
      ),
      el(
        'td',
        {},
        p.oldestOverdue.map((o) =>
          el('div', {
            className: 'legend',
            text: `${o.key} since ${o.startedAt}, missing ${o.missing.join(', ')}`,
          }),
        ),
      ),
    ]),
  );
  const headings = [
    'process',
    'events',
    'deadline',
    'started',
    'completed',
    'in progress',
    'overdue',
    'oldest overdue',
  ];
  box.replaceChildren(
    el('table', {}, [
      el(
        'thead',
        {},
        el(
          'tr',
          {},
          headings.map((h) => el('th', { text: h })),
        ),
      ),
      el('tbody', {}, rows),
    ]),
  );
}

/** Polls the processes panel until the page closes; a chain, so polls never overlap. */
export async function pollProcesses() {
  try {
    const answer = /** @type {{ body: ProcessesAnswer | null }} */ (
      await getJson(`${API}/processes`)
    );
    renderProcesses(answer.body);
  } catch (error) {
    if (messageOf(error) !== SIGNED_OUT) renderProcesses({ error: messageOf(error) });
  }
  setTimeout(pollProcesses, pollMs);
}
