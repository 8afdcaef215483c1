/** finance-service's semantic version, on /health and in X-Service-Version. */
export const SERVICE_VERSION = '1.0.0';
