/**
 * Consistent canary assignment. The bucket depends only on the upstream and
 * the key, so every route sending traffic to one upstream puts a user on the
 * same side (a user never sees half a migration), and raising `percent` only
 * moves users from the monolith to the new upstream, never back.
 */
export const BUCKETS = 10_000;

/** A bucket in [0, 10000) from FNV-1a with a murmur3 finaliser (good spread for sequential ids). */
export function bucketOf(upstream: string, key: string): number {
  let hash = 0x811c9dc5;
  const text = `${upstream}\u0000${key}`;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35);
  hash ^= hash >>> 16;
  return (hash >>> 0) % BUCKETS;
}

/** True when the bucket falls inside the canary share (percent 0–100). */
export function isInCanary(bucket: number, percent: number): boolean {
  return bucket < percent * (BUCKETS / 100);
}

/** Reads one cookie value from a Cookie header without allocating a full map. */
export function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq !== -1 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}
