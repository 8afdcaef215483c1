/** The nginx data plane's one error class: a stable code, a message that says how to fix it, exit 2. */
export type NginxErrorCode =
  | 'ERR_NGINX_EXPORT_REFUSED'
  | 'ERR_NGINX_MISSING'
  | 'ERR_NGINX_CONFIG_REFUSED'
  | 'ERR_NGINX_FAILED';

export class NginxError extends Error {
  /** Read by the shared CLI runner: a configuration problem is a usage error (exit 2). */
  readonly exitCode = 2;
  constructor(
    readonly code: NginxErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'NginxError';
  }
}
