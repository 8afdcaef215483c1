import fs from 'node:fs';
import path from 'node:path';
import { parseDocument } from 'yaml';
import { canDeploy } from '../../contracts/src/can-deploy';
import { loadContractsConfig } from '../../contracts/src/config';
import { ContractsError } from '../../contracts/src/errors';
import { type ProviderVerification, verifyProvider } from '../../contracts/src/verify';
import { startProvider } from '../../extracted/finance-service/contract/provider';
import { loadRoutesFile } from '../../strangler-proxy/src/config';
import { buildRouteTable } from '../../strangler-proxy/src/route-table';
import { writeRouteChange } from '../../strangler-proxy/src/routes-writer';
import { type CheckContext, defineCheck, environment, fail, pass } from '../runner/check-kit';

const PROVIDER = 'finance-service';
const V2_BODY = {
  orderId: 1301,
  customerId: 7,
  countryCode: 'DE',
  total: { amount: '23.80', currency: 'EUR' },
  tax: { amount: '3.80', currency: 'EUR' },
  lines: [{ albumId: 1, quantity: 2, amount: { amount: '20.00', currency: 'EUR' } }],
};
const V1_BODY = {
  orderId: 1302,
  customerId: 7,
  countryCode: 'DE',
  totalCents: 2380,
  taxCents: 380,
  lines: [{ albumId: 1, quantity: 2, amountCents: 2000 }],
};

// A provider module that answers v1's paths with v2's handlers: "what if v2 had been shipped as v1?"
const V2_AS_V1 = (realProvider: string) => `
import http from 'node:http';
import { startProvider as startReal } from ${JSON.stringify(realProvider)};
export async function startProvider() {
  const real = await startReal();
  const target = new URL(real.url);
  const server = http.createServer((req, res) => {
    const upstream = http.request(
      { host: target.hostname, port: target.port, method: req.method, headers: req.headers,
        path: (req.url ?? '/').replace(/^\\/finance\\//, '/v2/finance/') },
      (answer) => { res.writeHead(answer.statusCode ?? 502, answer.headers); answer.pipe(res); },
    );
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as { port: number };
  return {
    url: 'http://127.0.0.1:' + port,
    stateHandlers: real.stateHandlers,
    async close() { server.closeAllConnections(); server.close(); await real.close(); },
  };
}
`;

interface World {
  contractsFile: string;
  registry: string;
  routesFile: string;
}

/** contracts.yaml and routes.yaml copied to a scratch folder, with a registry of their own. */
function scratchWorld(ctx: CheckContext, label: string, providerModule?: string): World {
  const dir = ctx.tempDir(label);
  const contracts = parseDocument(
    fs.readFileSync(path.join(ctx.root, 'contracts', 'contracts.yaml'), 'utf8'),
  );
  contracts.set('root', ctx.root);
  const registry = path.join(dir, 'registry');
  contracts.set('registryFolder', path.relative(ctx.root, registry));
  if (providerModule)
    contracts.setIn(
      ['participants', PROVIDER, 'provider'],
      path.relative(ctx.root, providerModule),
    );
  const contractsFile = path.join(dir, 'contracts.yaml');
  fs.writeFileSync(contractsFile, contracts.toString());
  const routes = parseDocument(
    fs.readFileSync(path.join(ctx.root, 'strangler-proxy', 'routes.yaml'), 'utf8'),
  );
  routes.set('contracts', contractsFile);
  // This exercise checks contracts, not data ownership: its flips move the finance route whole,
  // which the routes file refuses while the monolith owns the finance data (strangler data handover).
  routes.delete('dataSets');
  for (const route of (routes.get('routes') as { items: Array<{ delete(key: string): void }> })
    .items)
    route.delete('writes');
  const routesFile = path.join(dir, 'routes.yaml');
  fs.writeFileSync(routesFile, routes.toString());
  return { contractsFile, registry, routesFile };
}

async function verifyIn(world: World, provider = PROVIDER): Promise<ProviderVerification> {
  return verifyProvider(loadContractsConfig(world.contractsFile), provider, {
    registryFolder: world.registry,
  });
}

/** The repository as it stands, verified once: criterion 1 reads it, the last one flips with it. */
function realWorld(ctx: CheckContext) {
  return ctx.once('real-world', async () => {
    ctx.progress('verifying finance-service against its consumers’ pacts');
    const world = scratchWorld(ctx, 'contracts-real');
    return { world, outcome: await verifyIn(world) };
  });
}

function asEnvironment(error: unknown) {
  if (error instanceof ContractsError && error.code === 'ERR_PROVIDER_START')
    return environment(`finance-service could not be started for verification: ${error.message}`);
  throw error;
}

/** The real finance-service on a scratch database, shared by the criteria that call it. */
function financeService(ctx: CheckContext) {
  return ctx.once('finance-service', async () => {
    ctx.progress('starting finance-service on a scratch database');
    const service = await startProvider();
    ctx.defer(() => service.close());
    return service;
  });
}

const post = (url: string, body: unknown) =>
  fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

function flipFinanceFully(world: World): { refused: string | null } {
  try {
    writeRouteChange(world.routesFile, 'finance', { to: PROVIDER, percent: 100 });
    return { refused: null };
  } catch (error) {
    return { refused: (error as Error).message };
  }
}

export default defineCheck({
  criteria: [
    {
      title:
        "finance-service still keeps every consumer's pact: v1 of payments and refunds is unchanged",
      async verify(ctx) {
        const real = await realWorld(ctx).catch(asEnvironment);
        if (!('world' in real)) return real;
        const broken = real.outcome.results.flatMap((r) =>
          r.interactions
            .filter((i) => !i.ok)
            .map((i) => `${r.consumer}: ${i.interaction} (${i.problems.join('; ')})`),
        );
        if (broken.length === 0) return pass();
        return fail(
          `these interactions break: ${broken.join(' | ')}`,
          'undo the change to v1 (git diff extracted/finance-service/src/routes.ts) and put the new shape in /v2/finance/… instead',
        );
      },
    },
    {
      title:
        'POST /v2/finance/payments books money given as {amount, currency} into the ledger v1 reads',
      async verify(ctx) {
        const service = await financeService(ctx).catch((error: Error) => error);
        if (service instanceof Error)
          return environment(`finance-service did not start: ${service.message}`);
        const answer = await post(`${service.url}/v2/finance/payments`, V2_BODY);
        if (answer.status !== 201)
          return fail(
            `POST /v2/finance/payments answered ${answer.status}: ${(await answer.text()).slice(0, 300)}`,
            'add a router for /v2/finance/payments and /v2/finance/refunds in finance-service (see how catalog-service serves /v2/catalog/albums) and mount it in app.ts',
          );
        const ledger = (await (
          await fetch(`${service.url}/finance/ledger?orderId=${V2_BODY.orderId}`)
        ).json()) as {
          items: Array<{
            amountCents: number;
            taxCents: number;
            lines: Array<{ amountCents: number }>;
          }>;
        };
        const entry = ledger.items[0];
        const booked = entry
          ? [entry.amountCents, entry.taxCents, entry.lines[0]?.amountCents]
          : [];
        if (booked.join() !== '2380,380,2000')
          return fail(
            `after a v2 payment of 23.80 (tax 3.80, one line of 20.00), GET /finance/ledger?orderId=${V2_BODY.orderId} shows ${JSON.stringify(entry ?? null)}`,
            'turn {amount, currency} into cents and book through the same FinanceService.record as v1',
          );
        const v1 = await post(`${service.url}/finance/payments`, V1_BODY);
        if (v1.status !== 201)
          return fail(
            `v1 POST /finance/payments answered ${v1.status} beside v2`,
            'keep v1 exactly as it was',
          );
        return pass();
      },
    },
    {
      title:
        'finance-service reports a new minor version on /health (it added v2 and removed nothing)',
      async verify(ctx) {
        const service = await financeService(ctx).catch((error: Error) => error);
        if (service instanceof Error)
          return environment(`finance-service did not start: ${service.message}`);
        const health = (await (await fetch(`${service.url}/health`)).json()) as {
          version?: string;
        };
        const [major, minor] = String(health.version).split('.').map(Number);
        if (major === 1 && minor >= 1) return pass(`finance-service ${health.version}`);
        return fail(
          `/health reports version ${health.version}`,
          major >= 2
            ? 'a major version says something was removed or changed: v1 is still there, so bump the minor (extracted/finance-service/src/version.ts)'
            : 'bump the minor version in extracted/finance-service/src/version.ts: the service gained something',
        );
      },
    },
    {
      title:
        'v2 really is a breaking change: shipped as v1 it would break the monolith, and can-deploy and flip would refuse it',
      async verify(ctx) {
        ctx.progress('verifying "v2 served as v1" against the pacts');
        const dir = ctx.tempDir('v2-as-v1');
        const module = path.join(dir, 'v2-as-v1-provider.ts');
        fs.writeFileSync(
          module,
          V2_AS_V1(path.join(ctx.root, 'extracted', 'finance-service', 'contract', 'provider')),
        );
        const world = scratchWorld(ctx, 'contracts-v2-as-v1', module);
        const outcome = await verifyIn(world).catch(asEnvironment);
        if (!('results' in outcome)) return outcome;
        if (outcome.ok)
          return fail(
            'the monolith’s pact still passes when v1’s paths are answered by v2: v2 accepts the v1 body',
            'v2 should take money only as {amount, currency}: totalCents and friends are v1',
          );
        const answer = canDeploy(loadContractsConfig(world.contractsFile), PROVIDER, {
          registryFolder: world.registry,
        });
        if (answer.ok || !answer.reason.includes('legacy-monolith'))
          return fail(
            `can-deploy answered ${answer.ok ? 'yes' : answer.reason}`,
            'run npx strangler contracts can-deploy finance-service and read its answer',
          );
        const flip = flipFinanceFully(world);
        if (!flip.refused)
          return fail(
            'flip finance --to finance-service went through with a failing contract',
            'strangler-proxy/routes.yaml must keep contracts: ../contracts/contracts.yaml',
          );
        return pass();
      },
    },
    {
      title: 'with v1 beside v2, can-deploy says yes and flip finance to 100 % goes through',
      async verify(ctx) {
        const real = await realWorld(ctx).catch(asEnvironment);
        if (!('world' in real)) return real;
        // finance-service is also a consumer (of catalog-service): that pact must hold too.
        ctx.progress('verifying catalog-service, whose pact with finance-service counts too');
        const catalog = await verifyIn(real.world, 'catalog-service').catch(asEnvironment);
        if (!('results' in catalog)) return catalog;
        const flip = flipFinanceFully(real.world);
        if (flip.refused)
          return fail(
            flip.refused,
            'npx strangler contracts can-deploy finance-service says what still fails',
          );
        return pass();
      },
    },
    {
      title: 'the proxy sends /v2/finance/… to finance-service',
      independent: true,
      async verify(ctx) {
        const table = buildRouteTable(
          loadRoutesFile(path.join(ctx.root, 'strangler-proxy', 'routes.yaml')),
        );
        const decision = table.decide('POST', ['v2', 'finance', 'payments'], {});
        if (decision.upstream === PROVIDER) return pass();
        return fail(
          `POST /v2/finance/payments goes to ${decision.upstream} (${decision.reason})`,
          'add a route for prefix /v2/finance to finance-service in strangler-proxy/routes.yaml: the monolith has no v2',
        );
      },
    },
  ],
});
