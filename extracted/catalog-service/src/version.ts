/**
 * catalog-service's semantic version, on /health and in X-Service-Version. 1.1.0: GET
 * /v2/catalog/albums (price as {amount, currency}) beside v1, which is unchanged. Removing v1
 * will be 2.0.0, once no consumer's pact uses it and its sunset date has passed.
 */
export const SERVICE_VERSION = '1.1.0';
