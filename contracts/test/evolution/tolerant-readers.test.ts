// A provider may add to its answers at any time (a minor version): no consumer may break.
import { startProvider as startCatalog } from '../../../extracted/catalog-service/contract/provider';
import { createCatalogClient } from '../../../extracted/finance-service/src/catalog-client';
import { startProvider as startFinance } from '../../../extracted/finance-service/contract/provider';
import { HttpCatalogAdapter } from '../../../legacy-monolith/src/catalog-port';
import { createFinanceServiceClient } from '../../../legacy-monolith/src/warehouse/finance-service-client';
import { loadContractsConfig } from '../../src/config';
import { verifyProvider } from '../../src/verify';
import { addUnknownField, startAlteringProxy } from '../support/altering-proxy';
import { alterProvider, testContracts } from '../support/test-contracts';

jest.setTimeout(120_000);

describe('tolerant readers: a field added to every answer', () => {
  it.each(['catalog-service', 'finance-service'])(
    "when %s adds it, then every consumer's pact with it stays green",
    async (provider) => {
      const contracts = testContracts(alterProvider(provider, 'unknown-field'));
      try {
        const outcome = await verifyProvider(loadContractsConfig(contracts.file), provider);
        expect(outcome.results.length).toBeGreaterThan(0);
        expect(outcome.results.flatMap((r) => r.interactions.filter((i) => !i.ok))).toEqual([]);
      } finally {
        contracts.cleanup();
      }
    },
  );

  it("when the real services add it, then every consumer's client still reads exactly what it needs", async () => {
    const catalog = await startCatalog();
    const finance = await startFinance();
    const catalogRelay = await startAlteringProxy(catalog.url, addUnknownField);
    const financeRelay = await startAlteringProxy(finance.url, addUnknownField);
    try {
      const { ids } = (await catalog.stateHandlers['two albums exist']({})) as { ids: string };
      const wanted = ids.split(',').map(Number);

      const monolithView = await new HttpCatalogAdapter({
        baseUrl: catalogRelay.url,
        timeoutMs: 5000,
      }).findAlbums(wanted);
      expect([...monolithView.keys()]).toEqual(wanted);
      expect(Object.keys(monolithView.get(wanted[0])!).sort()).toEqual(
        ['artistId', 'artistName', 'genre', 'id', 'priceCents', 'releaseYear', 'title'].sort(),
      );

      const financeView = await createCatalogClient({
        baseUrl: catalogRelay.url,
        timeoutMs: 5000,
      }).findAlbums(wanted);
      expect(financeView.get(wanted[1])).toEqual({
        id: wanted[1],
        title: 'Sketches of Spain',
        genre: 'Jazz',
      });

      const saga = createFinanceServiceClient({ baseUrl: financeRelay.url, timeoutMs: 5000 });
      const money = {
        orderId: 9001,
        customerId: 7,
        countryCode: 'DE',
        totalCents: 1000,
        taxCents: 160,
        lines: [{ albumId: wanted[0], quantity: 1, amountCents: 1000 }],
      };
      await expect(saga.voidPayment({ ...money, orderId: 9002 })).resolves.toBe('nothing-to-void');
      await expect(saga.recordPayment(money)).resolves.toBeUndefined();
      await expect(saga.recordRefund(money)).resolves.toBeUndefined();
    } finally {
      await Promise.all([catalogRelay.close(), financeRelay.close()]);
      await Promise.all([catalog.close(), finance.close()]);
    }
  });
});
