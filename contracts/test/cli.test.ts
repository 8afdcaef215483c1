import fs from 'node:fs';
import path from 'node:path';
import { runCli } from '../../test/support/run-cli';
import { type ScratchContracts, scratchContracts } from './support/scratch-contracts';

jest.setTimeout(120_000);

const SERVING_PROVIDER = `
import http from 'node:http';
export async function startProvider() {
  const server = http.createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ id: 1 }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as { port: number };
  return {
    url: 'http://127.0.0.1:' + port,
    stateHandlers: STATES,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
`;

describe('strangler contracts: bad input is a clear message with the file and the fix, exit 2, never a stack', () => {
  let world: ScratchContracts;
  beforeEach(() => (world = scratchContracts()));
  afterEach(() => world.cleanup());

  const contracts = (...args: string[]) =>
    runCli(['contracts', ...args, '--contracts', world.file]);
  const expectUsageError = (
    result: ReturnType<typeof runCli>,
    ...parts: Array<string | RegExp>
  ) => {
    expect(result.status).toBe(2);
    for (const part of parts)
      if (typeof part === 'string') expect(result.stderr).toContain(part);
      else expect(result.stderr).toMatch(part);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  };

  it('when the pact file is missing, then the message names it and the command that writes it', () => {
    fs.rmSync(path.join(world.dir, 'pacts/web-albums.json'));
    expectUsageError(
      contracts('verify', 'albums'),
      'pacts/web-albums.json: the pact between web (consumer) and albums (provider) is missing',
      'PACT_UPDATE=1 npx jest --selectProjects contracts',
    );
  });

  it('when the provider does not start, then the message says why and how to fix it', () => {
    world.writeProvider(
      `export async function startProvider() { throw new Error('listen EADDRINUSE: address already in use 127.0.0.1:4001'); }`,
    );
    expectUsageError(
      contracts('verify', 'albums'),
      'albums/provider.ts: albums did not start for verification: listen EADDRINUSE',
      'Fix: make sure the service starts on its own',
    );
  });

  it('when a provider state is not implemented, then the message names it and where to add it', () => {
    world.writeProvider(SERVING_PROVIDER.replace('STATES', '{}'));
    expectUsageError(
      contracts('verify', 'albums'),
      'albums has no handler for provider state "an album exists" (needed by "a request for an album" in',
      'Fix: add it to stateHandlers in',
    );
  });
});

describe('strangler contracts verify and can-deploy', () => {
  let world: ScratchContracts;
  beforeAll(() => (world = scratchContracts()));
  afterAll(() => world.cleanup());

  it('when a provider keeps its pact, then verify exits 0 and can-deploy says yes (exit 0)', () => {
    world.writeProvider(
      SERVING_PROVIDER.replace('STATES', "{ 'an album exists': async () => undefined }"),
    );
    const verified = runCli(['contracts', 'verify', '--contracts', world.file]);
    expect(verified.stderr).toMatch(
      /albums: starting .*provider\.ts and verifying 1 pact\(s\): web \(1 interactions\)/,
    );
    expect(verified.stdout).toContain('✓ web: 1/1 interaction(s) pass');
    expect(verified.status).toBe(0);
    const answer = runCli(['contracts', 'can-deploy', 'albums', '--contracts', world.file]);
    expect(answer.stdout).toMatch(/^can-deploy albums \(source [0-9a-f]{12}\): yes/);
    expect(answer.status).toBe(0);
  });

  it('when a provider breaks its pact, then verify records it (exit 1) and can-deploy says no with the interaction (exit 1)', () => {
    world.writeProvider(
      SERVING_PROVIDER.replace('STATES', "{ 'an album exists': async () => undefined }").replace(
        'JSON.stringify({ id: 1 })',
        "JSON.stringify({ id: '1' })",
      ),
    );
    const verified = runCli(['contracts', 'verify', 'albums', '--contracts', world.file]);
    expect(verified.stdout).toContain('✗ web: 0/1 interaction(s) pass');
    expect(verified.status).toBe(1);
    const answer = runCli([
      'contracts',
      'can-deploy',
      'albums',
      '--json',
      '--contracts',
      world.file,
    ]);
    expect(answer.status).toBe(1);
    expect(JSON.parse(answer.stdout)).toMatchObject({
      ok: false,
      pacts: [
        {
          consumer: 'web',
          status: 'failed',
          failing: [{ interaction: 'given an album exists: a request for an album' }],
        },
      ],
    });
  });
});
