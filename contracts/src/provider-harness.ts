/**
 * What a provider module (`participants.<name>.provider` in contracts.yaml) exports: a real
 * instance of the service on a scratch database, and its provider states, which set data up
 * through the service's own repository. A state handler may return values that the pact
 * injects into the request (Pact's `fromProviderState`), e.g. ids the database assigned.
 *
 * @example export async function startProvider(): Promise<ProviderUnderTest> { … }
 */
export interface ProviderUnderTest {
  /** Where the running service listens, e.g. http://127.0.0.1:41234 */
  url: string;
  stateHandlers: Record<string, ProviderStateHandler>;
  close(): Promise<void>;
}

export type ProviderStateHandler = (
  params: Record<string, unknown>,
) => Promise<Record<string, unknown> | undefined>;

export type StartProvider = () => Promise<ProviderUnderTest>;
