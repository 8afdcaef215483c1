import type { ServerResponse } from 'node:http';

/**
 * GET /dashboard/api/processes: the process monitor's GET /processes, fetched by the proxy (the
 * page may only talk to its own origin). Always 200: what the panel shows says what is wrong.
 */
export async function sendProcesses(res: ServerResponse, monitorUrl: string | null): Promise<void> {
  let body: unknown;
  if (!monitorUrl) body = { configured: false };
  else {
    try {
      const answer = await fetch(`${monitorUrl.replace(/\/+$/, '')}/processes`, {
        signal: AbortSignal.timeout(1500),
      });
      body = answer.ok
        ? { configured: true, processes: await answer.json() }
        : { configured: true, error: `${monitorUrl} answered ${answer.status}` };
    } catch (error) {
      body = { configured: true, error: `${monitorUrl}: ${(error as Error).message}` };
    }
  }
  res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}
