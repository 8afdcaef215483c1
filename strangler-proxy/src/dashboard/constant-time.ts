import { createHash, timingSafeEqual } from 'node:crypto';

const digest = (value: string) => createHash('sha256').update(value).digest();

/** SECURITY: compares digests, so neither the content nor the length of the secret leaks through timing. */
export function equalsConstantTime(given: string, expected: string): boolean {
  return timingSafeEqual(digest(given), digest(expected));
}
