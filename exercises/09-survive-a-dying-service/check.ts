import path from 'node:path';
import { startProvider } from '../../extracted/finance-service/contract/provider';
import { loadRoutesFile } from '../../strangler-proxy/src/config';
import { buildRouteTable } from '../../strangler-proxy/src/route-table';
import { type CheckContext, defineCheck, environment, fail, pass } from '../runner/check-kit';
import { listSome, seededMonolithDatabase, startScratchMonolith } from '../runner/check-tools';
import {
  ROUTES_FILE,
  scratchRoutes,
  startScratchProxy,
  startTcpRelay,
} from '../runner/proxy-tools';

const SERVICE = 'finance-service';
/** What a user waits for a page before giving up: longer counts as a failed GET. */
const CLIENT_BUDGET_MS = 2000;
const WORST_WAIT_MS = 1500;
const WORKERS = 6;
const PHASES = [
  { name: 'healthy', ms: 1500 },
  { name: 'hanging', ms: 3000 },
  { name: 'killed', ms: 3500 },
] as const;

function financeRoute(ctx: CheckContext) {
  const config = loadRoutesFile(path.join(ctx.root, ROUTES_FILE));
  const decision = buildRouteTable(config).decide('GET', ['finance', 'ledger'], {});
  const spec = config.routes.find((r) => r.name === decision.route.name);
  return { config, decision, spec };
}

interface LoadResult {
  total: number;
  failures: Array<{ phase: string; reason: string }>;
  breakerStates: Set<string>;
}

/** GETs through a real proxy while finance-service (behind a relay) is healthy, then hangs, then dies. */
function runOutage(ctx: CheckContext): Promise<LoadResult> {
  return ctx.once('outage', async () => {
    const monolith = await startScratchMonolith(ctx, await seededMonolithDatabase(ctx));
    ctx.progress(
      'starting finance-service on a scratch database, behind a relay the check controls',
    );
    const service = await startProvider();
    ctx.defer(() => service.close());
    const relay = await startTcpRelay(ctx, service.url);
    const { decision, spec } = financeRoute(ctx);
    const doc = scratchRoutes(ctx, { monolith: monolith.url, [SERVICE]: relay.url });
    // As after `npx strangler flip finance --to finance-service`: all of the route to the service…
    const routes = doc.get('routes') as {
      items: Array<{ get(k: string): unknown; set(k: string, v: unknown): void }>;
    };
    const route = routes.items.find((r) => r.get('name') === decision.route.name);
    route?.set('to', SERVICE);
    route?.set('percent', 100);
    // …after `npx strangler data handover`: a route's writes may only go to its data set's owner.
    if (spec?.writes) doc.setIn(['dataSets', spec.writes, 'owner'], SERVICE);
    const proxy = await startScratchProxy(ctx, doc);

    let phase: string = PHASES[0].name;
    let stop = false;
    const failures: LoadResult['failures'] = [];
    const breakerStates = new Set<string>();
    let total = 0;
    const worker = async () => {
      while (!stop) {
        total += 1;
        try {
          const answer = await fetch(`${proxy.url}/finance/ledger?pageSize=5`, {
            signal: AbortSignal.timeout(CLIENT_BUDGET_MS),
          });
          await answer.arrayBuffer();
          if (answer.status !== 200) failures.push({ phase, reason: `HTTP ${answer.status}` });
        } catch (error) {
          const name = (error as Error).name;
          // Counted in the phase it failed in: a GET sent just before the hang fails while hanging.
          failures.push({
            phase,
            reason:
              name === 'TimeoutError'
                ? `no answer within ${CLIENT_BUDGET_MS} ms`
                : (error as Error).message,
          });
        }
      }
    };
    const watcher = setInterval(() => {
      proxy
        .admin<{ breakers: Record<string, { state: string }> }>('/admin/status')
        .then((status) => breakerStates.add(status.breakers[SERVICE]?.state ?? 'unknown'))
        .catch(() => {});
    }, 200);
    const workers = Array.from({ length: WORKERS }, worker);
    for (const { name, ms } of PHASES) {
      phase = name;
      if (name === 'hanging') relay.set('hang');
      if (name === 'killed') relay.set('dead');
      ctx.progress(`finance-service ${name}: GETs through the proxy for ${ms / 1000} s`);
      await new Promise((resolve) => setTimeout(resolve, ms));
    }
    stop = true;
    await Promise.all(workers);
    clearInterval(watcher);
    return { total, failures, breakerStates };
  });
}

export default defineCheck({
  criteria: [
    {
      title: `a GET on the finance route waits at most ${WORST_WAIT_MS / 1000} s for finance-service, then falls back to the monolith`,
      async verify(ctx) {
        const { config, decision, spec } = financeRoute(ctx);
        if (!spec || decision.route.name === '(default)')
          return fail(
            `no route of ${ROUTES_FILE} matches GET /finance/ledger`,
            'keep the finance route (prefix /finance) in the routes file',
          );
        const upstream = config.upstreams[SERVICE];
        if (!upstream)
          return fail(`${ROUTES_FILE} has no upstream ${SERVICE}`, `keep the ${SERVICE} upstream`);
        const timeout = spec.timeoutMs ?? upstream.timeoutMs;
        const attempts = spec.retry?.methods.includes('GET') ? 1 + spec.retry.attempts : 1;
        const problems: string[] = [];
        const next: string[] = [];
        if (timeout * attempts > WORST_WAIT_MS) {
          problems.push(
            `a hanging ${SERVICE} holds a GET for ${timeout} ms${attempts > 1 ? ` × ${attempts} attempts (retry)` : ''}`,
          );
          next.push(
            `give route "${spec.name}" a timeoutMs (a few hundred ms: the ledger answers in milliseconds)${attempts > 1 ? ', and count the retries: each one waits the whole timeout again' : ''}`,
          );
        }
        if (!decision.route.fallbackMethods.has('GET')) {
          problems.push('a failed GET is not retried on the monolith');
          next.push(`set fallback: true on route "${spec.name}"`);
        }
        if (upstream.breaker === false) {
          problems.push(`${SERVICE} has its circuit breaker switched off`);
          next.push(`remove breaker: false from upstream ${SERVICE} (or give it settings)`);
        }
        if (problems.length === 0)
          return pass(`timeout ${timeout} ms × ${attempts}, fallback, breaker`);
        return fail(problems.join('; '), next.join('; '));
      },
    },
    {
      title: `with finance-service hanging, then killed, under load, no GET through the proxy fails or takes over ${CLIENT_BUDGET_MS / 1000} s`,
      independent: true,
      async verify(ctx) {
        const result = await runOutage(ctx).catch((error: Error) => error);
        if (result instanceof Error) {
          if ((result as NodeJS.ErrnoException).code === 'EADDRINUSE') throw result;
          return environment(`the services for the outage could not be started: ${result.message}`);
        }
        if (result.failures.length === 0)
          return pass(
            `${result.total} GETs, none failed (${WORKERS} clients, ${PHASES.map((p) => `${p.name} ${p.ms / 1000} s`).join(', ')})`,
          );
        const byPhase = PHASES.map(
          (p) => `${p.name}: ${result.failures.filter((f) => f.phase === p.name).length}`,
        ).join(', ');
        return fail(
          `${result.failures.length} of ${result.total} GETs failed (${byPhase}); e.g. ${listSome([...new Set(result.failures.map((f) => f.reason))], 3)}`,
          'a failure while hanging means the proxy waited too long (timeout); while killed, that nothing sent the GET to the monolith (fallback)',
        );
      },
    },
    {
      title: 'the breaker opened while finance-service was down, so GETs stopped waiting for it',
      async verify(ctx) {
        const result = await runOutage(ctx);
        if (result.breakerStates.has('open')) return pass();
        return fail(
          `the proxy's breaker for ${SERVICE} was only ever ${[...result.breakerStates].join(', ') || 'unknown'} (GET /admin/status)`,
          `with its defaults (50 % failures of at least 10 requests in 10 s) it opens within a second under this load: check that upstream ${SERVICE} does not set breaker: false, and that minRequests is not above what a few seconds bring`,
        );
      },
    },
  ],
});
