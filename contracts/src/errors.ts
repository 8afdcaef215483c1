/** Every stable error code of the contracts component; each is a usage or configuration problem (exit 2). */
export type ContractsErrorCode =
  | 'ERR_CONTRACTS_CONFIG'
  | 'ERR_PACT_MISSING'
  | 'ERR_PACT_MALFORMED'
  | 'ERR_PACT_OUT_OF_DATE'
  | 'ERR_PROVIDER_UNKNOWN'
  | 'ERR_PROVIDER_START'
  | 'ERR_PROVIDER_STATE_MISSING'
  | 'ERR_VERIFIER'
  | 'ERR_REGISTRY_MALFORMED';

/** The contracts component's one error class: a stable `code`, a message naming the file and the fix. */
export class ContractsError extends Error {
  /** Read by the shared CLI runner: printed without a stack, exit 2. */
  readonly exitCode = 2;
  constructor(
    readonly code: ContractsErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ContractsError';
  }
}
