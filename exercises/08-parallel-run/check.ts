import type http from 'node:http';
import path from 'node:path';
import { loadRoutesFile } from '../../strangler-proxy/src/config';
import { buildRouteTable } from '../../strangler-proxy/src/route-table';
import { type CheckContext, defineCheck, fail, pass } from '../runner/check-kit';
import { listSome, seededMonolithDatabase, startScratchMonolith } from '../runner/check-tools';
import { ROUTES_FILE, scratchRoutes, startScratchProxy } from '../runner/proxy-tools';
import { createCountriesApp } from './countries-service/app';

const CANDIDATE = 'countries-service';
const PROMOTION_TIMEOUT_MS = 40_000;

/** The route GET /countries takes in the tree's routes file, with its parsed spec. */
function countriesRoute(ctx: CheckContext) {
  const config = loadRoutesFile(path.join(ctx.root, ROUTES_FILE));
  const decision = buildRouteTable(config).decide('GET', ['countries'], {});
  return config.routes.find((r) => r.name === decision.route.name);
}

/** The monolith (seeded scratch database) and the candidate from this tree, both on port 0. */
function services(ctx: CheckContext) {
  return ctx.once('services', async () => {
    const monolith = await startScratchMonolith(ctx, await seededMonolithDatabase(ctx));
    ctx.progress(`starting ${CANDIDATE} from exercises/08-parallel-run/countries-service`);
    const server: http.Server = await new Promise((resolve) => {
      const s = createCountriesApp().listen(0, '127.0.0.1', () => resolve(s));
    });
    ctx.defer(
      () =>
        new Promise<void>((resolve) => {
          server.closeAllConnections();
          server.close(() => resolve());
        }),
    );
    const { port } = server.address() as { port: number };
    return { monolith: monolith.url, candidate: `http://127.0.0.1:${port}` };
  });
}

/** The tree's routes file pointed at the scratch services; the countries route's promotion tuned by `promote`. */
async function scratchRun(ctx: CheckContext, promote: Record<string, unknown> | null) {
  const route = countriesRoute(ctx);
  const urls = await services(ctx);
  const doc = scratchRoutes(ctx, { monolith: urls.monolith, [CANDIDATE]: urls.candidate });
  const routes = doc.get('routes') as {
    items: Array<{
      get(k: string): unknown;
      set(k: string, v: unknown): void;
      delete(k: string): void;
    }>;
  };
  const node = routes.items.find((r) => r.get('name') === route?.name);
  // The comparison is the proxy's default one: nothing ignored, whatever the file's rules say.
  node?.set('shadow', CANDIDATE);
  node?.set('percent', 0);
  if (promote) node?.set('promote', doc.createNode(promote));
  else node?.delete('promote');
  return {
    name: route?.name as string,
    proxy: await startScratchProxy(ctx, doc, { promotionCheckMs: 250 }),
  };
}

async function get(url: string) {
  const answer = await fetch(url);
  await answer.arrayBuffer();
  return answer.status;
}

export default defineCheck({
  criteria: [
    {
      title: `${ROUTES_FILE} runs GET /countries in parallel on ${CANDIDATE} (shadow) with promote: auto`,
      async verify(ctx) {
        const config = loadRoutesFile(path.join(ctx.root, ROUTES_FILE));
        const route = countriesRoute(ctx);
        const problems: string[] = [];
        if (!config.upstreams[CANDIDATE]) problems.push(`no upstream named ${CANDIDATE}`);
        if (!route)
          return fail(
            'GET /countries takes the default route: no route of its own',
            `add a route matching path /countries with to: ${CANDIDATE}, percent: 0, shadow: ${CANDIDATE} and promote: auto (strangler-proxy/README.md, "Parallel run" and "Automatic promotion")`,
          );
        if (route.to !== CANDIDATE) problems.push(`route "${route.name}" goes to ${route.to}`);
        if (route.shadow?.upstream !== CANDIDATE)
          problems.push(`route "${route.name}" has no shadow: ${CANDIDATE}`);
        if (!route.promote) problems.push(`route "${route.name}" has no promote: auto`);
        if (problems.length === 0) return pass(`route "${route.name}"`);
        return fail(
          problems.join('; '),
          `upstream ${CANDIDATE} (url http://127.0.0.1:4005), and on the route: to: ${CANDIDATE}, percent: 0, shadow: ${CANDIDATE}, promote: auto`,
        );
      },
    },
    {
      title: `${CANDIDATE} answers GET /countries exactly like the monolith: every shadow comparison matches`,
      async verify(ctx) {
        const { name, proxy } = await scratchRun(ctx, null);
        ctx.progress('sending 30 GET /countries through the proxy, each compared in the shadow');
        for (let i = 0; i < 30; i++) await get(`${proxy.url}/countries`);
        await proxy.proxy.shadow.drain();
        const results = proxy.proxy.shadow.results.route(name);
        if (!results?.compared)
          return fail(
            `no comparison was made (dropped: ${JSON.stringify(results?.dropped ?? {})})`,
            `is ${CANDIDATE} answering? npx tsx exercises/08-parallel-run/countries-service/main.ts and curl http://127.0.0.1:4005/countries`,
          );
        if (results.differed === 0)
          return pass(`${results.compared} of ${results.compared} matched`);
        const sample = proxy.proxy.shadow.results.samples(name, 1)[0];
        const differences = (sample?.differences ?? []).map(
          (d) => `${d.path}: monolith ${JSON.stringify(d.a)}, ${CANDIDATE} ${JSON.stringify(d.b)}`,
        );
        return fail(
          `${results.differed} of ${results.compared} comparisons differed; ${listSome(differences)}`,
          `the monolith is the reference: find where ${CANDIDATE} computes that field (exercises/08-parallel-run/countries-service/) and fix the candidate, not the comparison`,
        );
      },
    },
    {
      title: 'promote: auto walks the route shadow → 5 → 25 → 50 → 100 % by itself',
      async verify(ctx) {
        // Only the window is shortened (seconds, not minutes); the learner's match and error rates stay.
        const route = countriesRoute(ctx);
        const { name, proxy } = await scratchRun(ctx, {
          ...(route?.promote ?? {}),
          windowMs: 1000,
          minRequests: 10,
          paused: false,
        });
        const started = Date.now();
        let view = proxy.proxy.promotion.view(name);
        const steps = new Set<string>();
        ctx.progress('sending GET /countries until the promotion reaches 100 %');
        while (Date.now() - started < PROMOTION_TIMEOUT_MS) {
          await Promise.all(
            Array.from({ length: 5 }, () => get(`${proxy.url}/countries`).catch(() => 0)),
          );
          view = proxy.proxy.promotion.view(name);
          if (view) steps.add(String(view.step));
          if (view?.step === 100) break;
          if (view?.state === 'rolled-back') break;
        }
        const after = loadRoutesFile(proxy.routesFile).routes.find((r) => r.name === name);
        if (view?.step === 100 && after?.percent === 100)
          return pass(`steps ${[...steps].join(' → ')}; the routes file now says percent: 100`);
        return fail(
          `the promotion stopped at ${view?.step ?? 'nothing'} (${view?.state ?? 'no promotion'}: ${view?.reason ?? 'no reason given'})`,
          'GET /admin/routes (or the dashboard) shows the promotion and why it holds or rolled back',
        );
      },
    },
  ],
});
