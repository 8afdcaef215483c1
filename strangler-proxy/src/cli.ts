import path from 'node:path';
import { type Command, Option } from 'commander';
import { EXIT, UsageError, runAction } from '../../common/src/cli';
import { asOptionParser, readChoice, readPercent, readPort } from '../../common/src/cli-options';
import { verifyWhatTheGateLacks } from '../../contracts/src/verify-for-gate';
import { loadRoutesFile } from './config';
import { HTTP_METHODS } from './config-schema';
import { contractsFileOf } from './contract-gate';
import { describeRoutes } from './describe-routes';
import { ENGINES, type EngineName } from './forwarder';
import { normaliseTarget } from './normalise-path';
import { buildRouteTable } from './route-table';
import { writeRouteChange } from './routes-writer';
import { DEFAULT_ROUTES_FILE, readProxyEnv } from './proxy-env';
import { runProxyUntilSignal } from './main';
import { exportRoutes, parseAllowDrop, runNginxProxyUntilSignal } from './nginx';

const routesOption = () =>
  new Option('--routes <file>', 'routes file').env('ROUTES_FILE').default(DEFAULT_ROUTES_FILE);
const print = (text: string) => process.stdout.write(`${text}\n`);

/** `strangler routes list|validate|explain`, `strangler flip`, `strangler proxy start`. */
export function registerProxyCommands(program: Command): void {
  const routes = program.command('routes').description('inspect the strangler proxy routes file');
  routes
    .command('list')
    .description('routes in precedence order')
    .addOption(routesOption())
    .option('--json', 'JSON output')
    .action(
      runAction(async (opts: { routes: string; json?: boolean }) => {
        const summaries = describeRoutes(buildRouteTable(loadRoutesFile(opts.routes)));
        if (opts.json) print(JSON.stringify(summaries, null, 2));
        else
          print(
            formatTable(
              summaries.map((r) => ({
                ...r,
                percent: `${r.percent}%`,
                sticky: r.sticky ?? '-',
                retry: String(r.retry),
                writes: r.writes ?? '-',
              })),
            ),
          );
        return EXIT.ok;
      }),
    );
  routes
    .command('validate')
    .description('check the routes file; exit 2 with the problem if it is invalid')
    .addOption(routesOption())
    .action(
      runAction(async (opts: { routes: string }) => {
        const config = loadRoutesFile(opts.routes);
        print(
          `${opts.routes}: ok (${config.routes.length} routes, ${Object.keys(config.upstreams).length} upstreams)`,
        );
        return EXIT.ok;
      }),
    );
  routes
    .command('export')
    .description("the routes file as another data plane's configuration (nginx)")
    .requiredOption('--format <name>', 'output format: nginx')
    .option('--out <file>', 'write here (whole, or not at all) instead of stdout')
    .option('--listen <host:port>', 'where nginx listens (default: PROXY_HOST:PROXY_PORT)')
    .option(
      '--allow-drop <features>',
      'accept losing features an exported config cannot carry: breaker, shadow, promote (proxy start --engine nginx carries them)',
    )
    .addOption(routesOption())
    .action(
      runAction(
        async (opts: {
          format: string;
          out?: string;
          listen?: string;
          allowDrop?: string;
          routes: string;
        }) => {
          exportRoutes(opts, print);
          return EXIT.ok;
        },
      ),
    );
  routes
    .command('explain')
    .description('where a request would go and which rule decided')
    .argument('<method>', 'HTTP method, e.g. GET')
    .argument('<path>', 'request path, e.g. /catalog/albums/1')
    .option(
      '-H, --header <name:value...>',
      'request header (for header matches and sticky canaries)',
    )
    .addOption(routesOption())
    .action(
      runAction(
        async (method: string, rawPath: string, opts: { routes: string; header?: string[] }) => {
          const verb = readChoice(method, 'method', HTTP_METHODS);
          const table = buildRouteTable(loadRoutesFile(opts.routes));
          const target = normaliseTarget(rawPath, table.config.caseSensitive);
          const decision = table.decide(verb, target.segments, parseHeaders(opts.header ?? []));
          print(
            `${verb} ${target.path}${target.query} → ${decision.upstream} (${table.config.upstreams[decision.upstream].url})`,
          );
          print(`  because: ${decision.reason}`);
          if (target.path !== rawPath.split('?')[0])
            print(`  note: path normalised from ${rawPath}`);
          return EXIT.ok;
        },
      ),
    );

  program
    .command('flip')
    .description(
      'send a route to another upstream (written to the routes file; a running proxy reloads)',
    )
    .argument('<route>', 'route name, e.g. catalog')
    .requiredOption('--to <upstream>', 'upstream name, e.g. catalog-service')
    .option(
      '--percent <n>',
      'canary share to the upstream (a whole percent, 0-100), the rest stays on the monolith',
      asOptionParser(readPercent),
    )
    .addOption(routesOption())
    .action(
      runAction(
        async (routeName: string, opts: { to: string; percent?: number; routes: string }) => {
          const contracts = contractsFileOf(loadRoutesFile(opts.routes), opts.routes);
          if (contracts && (opts.percent ?? 100) >= 100)
            await verifyWhatTheGateLacks(contracts, opts.to, (line) =>
              process.stderr.write(`${line}\n`),
            );
          const written = writeRouteChange(opts.routes, routeName, {
            to: opts.to,
            percent: opts.percent ?? 100,
          });
          print(
            `${routeName}: ${written.before.to} ${written.before.percent}% → ${written.after.to} ${written.after.percent}% (${opts.routes})`,
          );
          return EXIT.ok;
        },
      ),
    );

  const proxy = program.command('proxy').description('the strangler proxy');
  proxy
    .command('start')
    .description(
      'start the proxy (env: PROXY_PORT, PROXY_ADMIN_PORT, STRANGLER_ADMIN_TOKEN, ROUTES_FILE, PROXY_ENGINE)',
    )
    .option(
      '--port <n>',
      'proxy port',
      asOptionParser((raw) => readPort(raw, '--port')),
    )
    .option(
      '--admin-port <n>',
      'admin port',
      asOptionParser((raw) => readPort(raw, '--admin-port')),
    )
    .addOption(new Option('--routes <file>', 'routes file'))
    .addOption(
      new Option(
        '--engine <name>',
        'forwarding engine; nginx runs nginx as the data plane (the Node process keeps the admin API)',
      ).choices([...ENGINES, 'nginx']),
    )
    .option(
      '--allow-drop <features>',
      'with --engine nginx: accepted and ignored (its control process carries breaker, shadow and promote)',
    )
    .action(
      runAction(
        async (opts: {
          port?: number;
          adminPort?: number;
          routes?: string;
          engine?: EngineName | 'nginx';
          allowDrop?: string;
        }) => {
          if ((opts.engine ?? readProxyEnv().engine) === 'nginx') {
            await runNginxProxyUntilSignal({
              ...(opts.port !== undefined && { port: opts.port }),
              ...(opts.adminPort !== undefined && { adminPort: opts.adminPort }),
              ...(opts.routes !== undefined && { routesFile: path.resolve(opts.routes) }),
              allowDrop: parseAllowDrop(opts.allowDrop),
            });
            return EXIT.ok;
          }
          if (opts.allowDrop !== undefined)
            throw new UsageError(
              '--allow-drop is for --engine nginx (or PROXY_ENGINE=nginx); the Node proxy carries every feature',
            );
          await runProxyUntilSignal({
            ...(opts.port !== undefined && { port: opts.port }),
            ...(opts.adminPort !== undefined && { adminPort: opts.adminPort }),
            ...(opts.routes !== undefined && { routesFile: opts.routes }),
            ...(opts.engine !== undefined && { engine: opts.engine as EngineName }),
          });
          return EXIT.ok;
        },
      ),
    );
}

function parseHeaders(values: string[]): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const value of values) {
    const colon = value.indexOf(':');
    if (colon < 1) throw new UsageError(`--header "${value}" must look like name:value`);
    headers[value.slice(0, colon).trim().toLowerCase()] = value.slice(colon + 1).trim();
  }
  return headers;
}

function formatTable(rows: Array<Record<string, string | number>>): string {
  const columns = Object.keys(rows[0] ?? {});
  const widths = columns.map((c) => Math.max(c.length, ...rows.map((r) => String(r[c]).length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => cell.padEnd(widths[i]))
      .join('  ')
      .trimEnd();
  return [line(columns), ...rows.map((r) => line(columns.map((c) => String(r[c]))))].join('\n');
}
