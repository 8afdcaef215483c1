import { canDeploy } from '../../src/can-deploy';
import { loadContractsConfig } from '../../src/config';
import { readPact } from '../../src/pact-file';
import { verifyProvider } from '../../src/verify';
import { type TestContracts, testContracts } from '../support/test-contracts';

jest.setTimeout(120_000);

describe('finance-service as a provider', () => {
  let contracts: TestContracts;
  beforeAll(() => (contracts = testContracts()));
  afterAll(() => contracts.cleanup());

  it("honours every consumer's pact on a real instance, and can then be deployed", async () => {
    const config = loadContractsConfig(contracts.file);
    const outcome = await verifyProvider(config, 'finance-service');
    expect(outcome.results.map((r) => r.consumer)).toEqual(['legacy-monolith']);
    for (const result of outcome.results) {
      const pact = readPact(
        config.pacts.find(
          (p) => p.consumer === result.consumer && p.provider === 'finance-service',
        )!,
      );
      expect(result.interactions).toHaveLength(pact.interactions.length);
      expect(result.interactions.filter((i) => !i.ok)).toEqual([]);
    }
    expect(outcome.ok).toBe(true);
    expect(outcome.providerVersion).toMatch(/^\d+\.\d+\.\d+/);
    // As a provider it is verified; as a consumer it waits for catalog-service's verification.
    const answer = canDeploy(config, 'finance-service');
    expect(answer.pacts.filter((p) => p.provider === 'finance-service')).toEqual([
      expect.objectContaining({ consumer: 'legacy-monolith', status: 'verified' }),
    ]);
    expect(answer.ok).toBe(false);
    expect(answer.reason).toContain('npx strangler contracts verify catalog-service');
  });
});
