import { MatchersV3 } from '@pact-foundation/pact';
import type { ConsumerPact } from '../../src/consumer-pact';

/**
 * The lookup both catalog consumers make, GET /catalog/albums?ids=…&pageSize=100: the ids are
 * whatever the provider's database assigned in the state "two albums exist" (1,2 in the mock).
 */
export const ALBUMS_BY_IDS = {
  state: 'two albums exist',
  description: 'a request for albums by ids',
  path: '/catalog/albums',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: Pact's provider-state expression, filled in by the provider
  query: { ids: MatchersV3.fromProviderState('${ids}', '1,2'), pageSize: '100' },
  headers: { accept: 'application/json' },
};

/** The lookup as a new interaction of `pact`, waiting for its answer (`.willRespondWith`). */
export const albumsByIdsInteraction = (pact: ConsumerPact['pact']) =>
  pact
    .addInteraction()
    .given(ALBUMS_BY_IDS.state)
    .uponReceiving(ALBUMS_BY_IDS.description)
    .withRequest('GET', ALBUMS_BY_IDS.path, (request) =>
      request.query(ALBUMS_BY_IDS.query).headers(ALBUMS_BY_IDS.headers),
    );
