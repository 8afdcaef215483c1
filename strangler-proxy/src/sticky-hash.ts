/**
 * Consistent canary assignment, computed the way nginx's `split_clients` does
 * (MurmurHash2 of the key, compared with a share of 2^32), so the Node proxy and
 * the nginx data plane put every customer on the same side. The hash depends only
 * on the upstream and the key, so every route sending traffic to one upstream
 * puts a user on the same side (a user never sees half a migration), and raising
 * `percent` only moves users from the monolith to the new upstream, never back.
 */
export const BUCKETS = 2 ** 32;

/** The text both data planes hash: `<upstream>:<key>` (nginx: `split_clients "catalog-service:$http_x_customer_id"`). */
export function stickyText(upstream: string, key: string): string {
  return `${upstream}:${key}`;
}

/**
 * MurmurHash2 (32 bit) of the UTF-8 bytes, seeded with their length: nginx's `ngx_murmur_hash2`.
 *
 * @example murmurHash2(Buffer.from('catalog-service:42')) // same number nginx's split_clients uses
 */
export function murmurHash2(data: Uint8Array): number {
  const m = 0x5bd1e995;
  let len = data.length;
  let h = len >>> 0;
  let i = 0;
  while (len >= 4) {
    let k = data[i] | (data[i + 1] << 8) | (data[i + 2] << 16) | (data[i + 3] << 24);
    k = Math.imul(k, m);
    k ^= k >>> 24;
    k = Math.imul(k, m);
    h = Math.imul(h, m) ^ k;
    i += 4;
    len -= 4;
  }
  if (len === 3) h ^= data[i + 2] << 16;
  if (len >= 2) h ^= data[i + 1] << 8;
  if (len >= 1) {
    h ^= data[i];
    h = Math.imul(h, m);
  }
  h ^= h >>> 13;
  h = Math.imul(h, m);
  h ^= h >>> 15;
  return h >>> 0;
}

/** A bucket in [0, 2^32): the MurmurHash2 of `<upstream>:<key>`. */
export function bucketOf(upstream: string, key: string): number {
  return murmurHash2(Buffer.from(stickyText(upstream, key), 'utf8'));
}

/**
 * The canary share in hundredths of a percent, as nginx reads `12.34%` (two decimals).
 * The nginx export writes exactly this value, so both data planes cut at the same place.
 */
export function canaryHundredths(percent: number): number {
  return Math.min(10_000, Math.max(0, Math.round(percent * 100)));
}

/** True when the bucket falls inside the canary share (percent 0–100), with split_clients' boundary. */
export function isInCanary(bucket: number, percent: number): boolean {
  return bucket < Math.floor((canaryHundredths(percent) * 0xffffffff) / 10_000);
}
