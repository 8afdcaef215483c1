import fs from 'node:fs';
import path from 'node:path';
import { canDeploy, formatCanDeploy } from '../src/can-deploy';
import { loadContractsConfig } from '../src/config';
import { checkDeployGate } from '../src/deploy-gate';
import { type ScratchContracts, scratchContracts } from './support/scratch-contracts';

describe('can-deploy and the deploy gate read the registry', () => {
  let world: ScratchContracts;
  beforeEach(() => (world = scratchContracts()));
  afterEach(() => world.cleanup());

  it('when a provider was never verified at its current source, then it is refused naming the command to run', () => {
    const decision = checkDeployGate(world.file, 'albums-service');
    expect(decision).toMatchObject({ allowed: false, unverified: ['albums'] });
    expect(decision.reason).toContain('web → albums');
    expect(decision.reason).toContain('npx strangler contracts verify albums');
  });

  it("when every consumer's pact passed against exactly this source, then the provider is allowed", () => {
    world.record('pass');
    expect(checkDeployGate(world.file, 'albums-service')).toMatchObject({ allowed: true });
    expect(canDeploy(loadContractsConfig(world.file), 'web').ok).toBe(true);
  });

  it('when an interaction would break, then the provider is refused naming the consumer and the interaction', () => {
    world.record('fail');
    const decision = checkDeployGate(world.file, 'albums-service');
    expect(decision.allowed).toBe(false);
    expect(decision.reason).toContain(
      'web → albums: "given an album exists: a request for an album"',
    );
    const text = formatCanDeploy(canDeploy(loadContractsConfig(world.file), 'albums'));
    expect(text).toContain('can-deploy albums');
    expect(text).toContain(': no');
    expect(text).toContain('$.id: Expected "1" (String) to be an integer');
  });

  it("when the provider's source changes, then a passing result is forgotten, and found again when the change is undone", () => {
    world.record('pass');
    const original = fs.readFileSync(path.join(world.dir, 'albums/index.ts'), 'utf8');
    world.editProvider();
    expect(checkDeployGate(world.file, 'albums-service')).toMatchObject({
      allowed: false,
      unverified: ['albums'],
    });
    fs.writeFileSync(path.join(world.dir, 'albums/index.ts'), original);
    expect(checkDeployGate(world.file, 'albums-service').allowed).toBe(true);
  });

  it('when the consumer changes its pact, then a passing result is forgotten', () => {
    world.record('pass');
    const file = path.join(world.dir, 'pacts/web-albums.json');
    const pact = JSON.parse(fs.readFileSync(file, 'utf8'));
    pact.interactions[0].response.body.content.title = 'Blue';
    fs.writeFileSync(file, JSON.stringify(pact));
    expect(checkDeployGate(world.file, 'albums-service').allowed).toBe(false);
  });

  it('when no contract names an upstream, then traffic may go to it', () => {
    expect(checkDeployGate(world.file, 'search-service')).toMatchObject({ allowed: true });
  });

  it('when the pacts cannot be read, then the gate refuses, never passes, and a missing pact names its file and the fix', () => {
    world.record('pass');
    fs.rmSync(path.join(world.dir, 'pacts/web-albums.json'));
    const decision = checkDeployGate(world.file, 'albums-service');
    expect(decision.allowed).toBe(false);
    expect(decision.reason).toMatch(
      /web-albums\.json: the pact between web \(consumer\) and albums/,
    );
    expect(decision.reason).toContain('PACT_UPDATE=1');
  });

  it('when contracts.yaml is broken, then the gate refuses naming the field', () => {
    fs.writeFileSync(world.file, 'version: 1\nroot: .\npactFolder: pacts\n');
    const decision = checkDeployGate(world.file, 'albums-service');
    expect(decision.allowed).toBe(false);
    expect(decision.reason).toMatch(/contracts\.yaml: field "registryFolder"/);
  });
});
