// The change that burns teams: a field consumers read changes shape. The pacts catch it before
// any traffic moves, and say exactly who breaks.
import { canDeploy, formatCanDeploy } from '../../src/can-deploy';
import { loadContractsConfig } from '../../src/config';
import { verifyProvider } from '../../src/verify';
import { alterProvider, testContracts } from '../support/test-contracts';

jest.setTimeout(120_000);

describe('a breaking change to catalog-service (priceCents becomes price {amount, currency})', () => {
  it("when it ships, then the monolith's pact fails, not finance-service's (which never reads prices), and can-deploy says no naming them", async () => {
    const contracts = testContracts(alterProvider('catalog-service', 'price-as-object'));
    try {
      const config = loadContractsConfig(contracts.file);
      const outcome = await verifyProvider(config, 'catalog-service');
      expect(outcome.ok).toBe(false);
      const byConsumer = Object.fromEntries(outcome.results.map((r) => [r.consumer, r]));
      expect(byConsumer['finance-service'].ok).toBe(true);
      const broken = byConsumer['legacy-monolith'].interactions.filter((i) => !i.ok);
      expect(broken.map((i) => i.interaction).sort()).toEqual([
        "given albums of a genre exist: a request for a page of a genre's albums",
        'given two albums exist: a request for albums by ids',
      ]);
      expect(broken[0].problems.join('\n')).toContain('priceCents');

      const answer = canDeploy(config, 'catalog-service');
      expect(answer.ok).toBe(false);
      expect(answer.reason).toContain('legacy-monolith → catalog-service');
      expect(answer.reason).not.toContain('finance-service →');
      const text = formatCanDeploy(answer);
      expect(text).toContain('can-deploy catalog-service');
      expect(text).toContain(
        '✗ legacy-monolith → catalog-service: 2 of 3 interaction(s) would break',
      );
      expect(text).toContain('✓ finance-service → catalog-service');
    } finally {
      contracts.cleanup();
    }
  });
});
