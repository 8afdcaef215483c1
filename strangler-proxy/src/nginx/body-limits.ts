import type { LimitsSpec } from '../config-schema';
import { quote } from './nginx-syntax';

/**
 * The routes file's request-body limits in nginx (http context): how bodies are received,
 * their size and pause limits, and which requests count as carrying one (`$strangler_body`,
 * as the Node proxy's `hasBody`: a Content-Length other than 0, or a Transfer-Encoding).
 */
export function bodyLimits(limits: LimitsSpec): string[] {
  return [
    ...(limits.bufferBodyBytes > 0
      ? [
          '# Bodies are received whole before the upstream request opens: a slow sender holds only its',
          '# own connection (limits.bufferBodyBytes in memory; a larger body waits in client_body_temp).',
          'proxy_request_buffering on;',
          `client_body_buffer_size ${limits.bufferBodyBytes};`,
        ]
      : [
          '# limits.bufferBodyBytes 0: bodies stream to the upstream as they arrive.',
          'proxy_request_buffering off;',
        ]),
    `client_max_body_size ${Math.max(1, limits.maxBodyBytes)};`,
    '# limits.bodyTimeoutMs: nginx times the longest pause between two reads of a body, not the whole body.',
    `client_body_timeout ${limits.bodyTimeoutMs}ms;`,
    'map "$http_content_length:$http_transfer_encoding" $strangler_body {',
    '  ":" "";',
    `  ${quote('~^0:')} "";`,
    '  default " body";',
    '}',
    '# limits.maxBodiesPerClient: requests with a body, per client address, at once (else 429).',
    'map $strangler_body $strangler_body_client {',
    '  "" "";',
    '  default $binary_remote_addr;',
    '}',
    'limit_conn_zone $strangler_body_client zone=strangler_bodies:10m;',
  ];
}

/**
 * The per-address cap, answered as the Node proxy does. Server-wide: it counts in the route's
 * named location (the dispatch's `return` runs before the phase limit_conn counts in), which
 * for a request with a body is always a plain one (no error_page of its own).
 */
export function bodyCap(limits: LimitsSpec): string[] {
  return [
    '# limits.maxBodiesPerClient: requests with a body, per client address, at once.',
    `limit_conn strangler_bodies ${limits.maxBodiesPerClient};`,
    'limit_conn_status 429;',
    'error_page 429 = @strangler_too_many_bodies;',
  ];
}

export function tooManyBodiesLocation(limits: LimitsSpec): string[] {
  const body = JSON.stringify({
    error: {
      code: 'ERR_TOO_MANY_BODIES',
      message: `this client address is already sending limits.maxBodiesPerClient (${limits.maxBodiesPerClient}) request bodies; wait for them to finish`,
    },
  });
  return [
    '',
    '# limits.maxBodiesPerClient reached for this client address.',
    'location @strangler_too_many_bodies {',
    "  set $strangler_served $strangler_upstream;  # counted against the route's upstream, as in the Node proxy",
    '  add_header X-Correlation-Id $strangler_correlation_id always;',
    '  default_type application/json;',
    `  return 429 ${quote(body)};`,
    '}',
  ];
}
