import fs from 'node:fs';
import path from 'node:path';
import { loadContractsConfig } from '../src/config';
import { settlePact } from '../src/consumer-pact';
import { type ScratchContracts, scratchContracts } from './support/scratch-contracts';

describe('a consumer test settles its pact against the committed one, like a snapshot', () => {
  let world: ScratchContracts;
  let committed: string;
  const spec = () => loadContractsConfig(world.file).pacts[0];
  const changed = () => {
    const pact = JSON.parse(committed);
    pact.interactions[0].response.body.content.title = 'Blue';
    pact.metadata = { 'pact-js': { version: '99.0.0' } };
    return JSON.stringify(pact);
  };
  beforeEach(() => {
    world = scratchContracts();
    committed = fs.readFileSync(path.join(world.dir, 'pacts/web-albums.json'), 'utf8');
  });
  afterEach(() => world.cleanup());

  it('when only the tool versions in its metadata differ, then the committed pact is left alone', () => {
    const pact = JSON.parse(committed);
    pact.metadata = { 'pact-js': { version: '99.0.0' } };
    expect(settlePact(spec(), JSON.stringify(pact), {})).toMatchObject({ written: false });
  });

  it('when the expectations changed, then it fails naming the interaction, the command and the verification to run', () => {
    expect(() => settlePact(spec(), changed(), {})).toThrow(
      /web's expectations of albums changed \(changed "given an album exists: a request for an album"\).*PACT_UPDATE=1.*npx strangler contracts verify albums/,
    );
    expect(fs.readFileSync(spec().file, 'utf8')).toBe(committed);
  });

  it('when PACT_UPDATE=1 is set, then the new pact is written', () => {
    expect(settlePact(spec(), changed(), { PACT_UPDATE: '1' })).toMatchObject({ written: true });
    expect(JSON.parse(fs.readFileSync(spec().file, 'utf8')).interactions[0].response.body).toEqual({
      content: { id: 1, title: 'Blue' },
    });
  });

  it('when the pact is missing, then it is written on a laptop but refused under CI, where it must be committed', () => {
    fs.rmSync(spec().file);
    expect(() => settlePact(spec(), committed, { CI: 'true' })).toThrow(/is not committed/);
    expect(settlePact(spec(), committed, {})).toMatchObject({ written: true });
  });
});
