import fs from 'node:fs';
import path from 'node:path';
import { canDeploy } from '../src/can-deploy';
import { loadContractsConfig } from '../src/config';
import { ContractsError } from '../src/errors';
import { type ScratchContracts, scratchContracts } from './support/scratch-contracts';

const failureOf = (fn: () => unknown): ContractsError => {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ContractsError);
    expect((error as ContractsError).exitCode).toBe(2);
    return error as ContractsError;
  }
  throw new Error('expected a ContractsError');
};

describe('pact files and contracts.yaml are checked before anything runs', () => {
  let world: ScratchContracts;
  beforeEach(() => (world = scratchContracts()));
  afterEach(() => world.cleanup());
  const ask = () => canDeploy(loadContractsConfig(world.file), 'albums');

  it('when a pact is not JSON, then the message names the file and how to write it again', () => {
    world.write('pacts/web-albums.json', '{"consumer": {"name": "web"}, "interactions": [');
    const error = failureOf(ask);
    expect(error.code).toBe('ERR_PACT_MALFORMED');
    expect(error.message).toMatch(
      /web-albums\.json: not valid JSON \(.+\); run the consumer tests/,
    );
  });

  it('when JSON is not a pact, then the message names the missing field', () => {
    world.write('pacts/web-albums.json', '{"consumer": {"name": "web"}, "interactions": []}');
    expect(failureOf(ask).message).toContain('web-albums.json: not a pact file: field "provider"');
  });

  it('when a pact is between other parties than contracts.yaml says, then it is refused', () => {
    const file = path.join(world.dir, 'pacts/web-albums.json');
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('"web"', '"mobile"'));
    expect(failureOf(ask).message).toContain(
      'names consumer "mobile" and provider "albums", but contracts.yaml expects web → albums',
    );
  });

  it('when a service is unknown, then the message lists the known ones', () => {
    const error = failureOf(() => canDeploy(loadContractsConfig(world.file), 'albumz'));
    expect(error.message).toContain('"albumz" is not a participant (known: web, albums)');
  });

  it('when the contracts file is missing or broken, then the message names the file, the field and the fix', () => {
    expect(failureOf(() => loadContractsConfig(path.join(world.dir, 'nope.yaml'))).message).toMatch(
      /nope\.yaml: cannot read the contracts file \(ENOENT\)/,
    );
    fs.appendFileSync(world.file, '  - { consumer: web, provider: search }\n');
    expect(failureOf(() => loadContractsConfig(world.file)).message).toContain(
      'field "pacts.1.provider": "search" is not a participant (known: web, albums); add it under participants',
    );
  });
});
