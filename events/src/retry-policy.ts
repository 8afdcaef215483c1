/** How a subscription retries a failed event, and when it gives up. */
export interface RetryPolicy {
  /**
   * Deliveries before a message goes to the dead-letter queue (crashes count too), or
   * 'unlimited' (what most brokers do by default: a poison message then retries forever).
   */
  deliveryLimit: number | 'unlimited';
  /** Delay before the first retry; each next one doubles, up to `maxDelayMs`. */
  firstDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = {
  deliveryLimit: 5,
  firstDelayMs: 1000,
  maxDelayMs: 60_000,
};

/** The delay before delivery `attempt + 1`, after `attempt` failed deliveries. */
export function retryDelayMs(policy: RetryPolicy, attempt: number): number {
  const delay = policy.firstDelayMs * 2 ** Math.max(0, attempt - 1);
  return Math.min(policy.maxDelayMs, Math.round(delay));
}

/** True when a message delivered `attempt` times has used up its deliveries. */
export function isExhausted(policy: RetryPolicy, attempt: number): boolean {
  return policy.deliveryLimit !== 'unlimited' && attempt >= policy.deliveryLimit;
}

/** True when a delivery arrives after the limit (crashes took the earlier ones): dead-letter unseen. */
export function isOverLimit(policy: RetryPolicy, attempt: number): boolean {
  return policy.deliveryLimit !== 'unlimited' && attempt > policy.deliveryLimit;
}

export type AfterFailure =
  | { kind: 'retry'; delayMs: number }
  | { kind: 'dead-letter'; reason: string };

/** What happens to a message whose `attempt`-th delivery failed with `error`. */
export function decideAfterFailure(
  policy: RetryPolicy,
  attempt: number,
  error: string,
): AfterFailure {
  if (isExhausted(policy, attempt))
    return {
      kind: 'dead-letter',
      reason: `failed ${attempt} of ${policy.deliveryLimit} deliveries; last error: ${error}`,
    };
  return { kind: 'retry', delayMs: retryDelayMs(policy, attempt) };
}

export function overLimitReason(
  policy: RetryPolicy,
  attempt: number,
  lastError?: string | null,
): string {
  return `delivery limit ${policy.deliveryLimit} reached: delivered ${attempt - 1} times without an ack (the consumer crashed or lost its connection while handling it)${lastError ? `; last error: ${lastError}` : ''}`;
}
