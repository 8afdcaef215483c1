/** Stable codes of the shadow comparison and the `strangler parity` command. */
export type ShadowErrorCode =
  | 'ERR_SHADOW_PATTERN_INVALID'
  | 'ERR_SHADOW_RULES_INVALID'
  | 'ERR_PARITY_REQUESTS_UNREADABLE'
  | 'ERR_PARITY_REQUESTS_INVALID'
  | 'ERR_PARITY_RULES_UNREADABLE'
  | 'ERR_PARITY_BAD_URL'
  | 'ERR_PARITY_BAD_OPTION';

/** A configuration or input problem: the shared CLI runner prints the message and exits 2. */
export class ShadowError extends Error {
  readonly exitCode = 2;
  constructor(
    readonly code: ShadowErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ShadowError';
  }
}
