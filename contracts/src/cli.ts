import { type Command, Option } from 'commander';
import { EXIT, runAction } from '../../common/src/cli';
import { canDeploy, formatCanDeploy } from './can-deploy';
import { DEFAULT_CONTRACTS_FILE, displayPath, loadContractsConfig } from './config';
import { shortDigest } from './fingerprint';
import { verifyProvider } from './verify';

const contractsOption = () =>
  new Option('--contracts <file>', 'contracts configuration')
    .env('STRANGLER_CONTRACTS')
    .default(DEFAULT_CONTRACTS_FILE, 'contracts/contracts.yaml');
const print = (text: string) => process.stdout.write(`${text}\n`);

/** `strangler contracts verify [service]`, `contracts can-deploy <service>`, `contracts list`. */
export function registerContractsCommands(program: Command): void {
  const contracts = program
    .command('contracts')
    .description('consumer-driven contracts (Pact): verify providers, ask whether one can deploy');

  contracts
    .command('verify')
    .description(
      'verify providers against every pact that names them, on a real instance; record the results',
    )
    .argument('[service]', 'one provider (default: every provider)')
    .option('--verbose', "show the Pact verifier's own report")
    .option('--json', 'JSON output')
    .addOption(contractsOption())
    .action(
      runAction(
        async (
          service: string | undefined,
          opts: { contracts: string; verbose?: boolean; json?: boolean },
        ) => {
          const config = loadContractsConfig(opts.contracts);
          const providers = service ? [service] : [...new Set(config.pacts.map((p) => p.provider))];
          const outcomes = [];
          for (const provider of providers) {
            const outcome = await verifyProvider(config, provider, {
              verbose: opts.verbose,
              onProgress: (line) => process.stderr.write(`${line}\n`),
            });
            outcomes.push(outcome);
            if (opts.json) continue;
            print(
              `${provider} ${outcome.providerVersion} (source ${shortDigest(outcome.source)}): ${outcome.ok ? 'verified' : 'FAILED'}`,
            );
            if (outcome.results.length === 0) print('  no pact names it');
            for (const result of outcome.results) {
              const failing = result.interactions.filter((i) => !i.ok);
              print(
                `  ${result.ok ? '✓' : '✗'} ${result.consumer}: ${result.interactions.length - failing.length}/${result.interactions.length} interaction(s) pass`,
              );
              for (const interaction of failing) {
                print(`      ✗ ${interaction.interaction}`);
                for (const problem of interaction.problems) print(`          ${problem}`);
              }
            }
          }
          if (opts.json) print(JSON.stringify(outcomes, null, 2));
          else print(`results recorded in ${displayPath(config.registryFolder)}`);
          return outcomes.every((o) => o.ok) ? EXIT.ok : EXIT.findings;
        },
      ),
    );

  contracts
    .command('can-deploy')
    .description(
      'can this service, as its source stands, be deployed without breaking a consumer? exit 0 yes, 1 no',
    )
    .argument('<service>', 'a participant of contracts.yaml, e.g. catalog-service')
    .option('--json', 'JSON output')
    .addOption(contractsOption())
    .action(
      runAction(async (service: string, opts: { contracts: string; json?: boolean }) => {
        const answer = canDeploy(loadContractsConfig(opts.contracts), service);
        print(opts.json ? JSON.stringify(answer, null, 2) : formatCanDeploy(answer));
        return answer.ok ? EXIT.ok : EXIT.findings;
      }),
    );

  contracts
    .command('list')
    .description('every pact: consumer, provider, interactions, file')
    .addOption(contractsOption())
    .action(
      runAction(async (opts: { contracts: string }) => {
        const config = loadContractsConfig(opts.contracts);
        for (const pact of config.pacts)
          print(`${pact.consumer} → ${pact.provider}  ${displayPath(pact.file)}`);
        return EXIT.ok;
      }),
    );
}
