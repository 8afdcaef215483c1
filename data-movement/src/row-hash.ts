// Engines disagree on types (PostgreSQL bigints are strings, SQLite has no booleans),
// so every value is reduced to text or null before hashing.
function canonical(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return value ? '1' : '0';
  if (value instanceof Date) return value.toISOString();
  if (Buffer.isBuffer(value)) return `x${value.toString('hex')}`;
  return String(value);
}

/** The canonical encoding of a row's values (in TableSpec.columns order); length prefixes keep it unambiguous. */
export function encodeRow(values: unknown[]): string {
  let encoded = '';
  for (const value of values) {
    const text = canonical(value);
    encoded += text === null ? '~|' : `${text.length}:${text}|`;
  }
  return encoded;
}

/**
 * A 64-bit hash of an encoded row as two 32-bit halves (FNV-1a and a
 * multiply-rotate variant). Not cryptographic on purpose: it detects accidental
 * differences, and a crypto hash per row made verify of 1M rows CPU-bound.
 */
export function hashEncoded(text: string): [number, number] {
  let a = 0x811c9dc5;
  let b = 0x9747b28c;
  for (let i = 0; i < text.length; i += 1) {
    const c = text.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
    b ^= b >>> 15;
  }
  a ^= text.length;
  b = Math.imul(b ^ (b >>> 13), 0xc2b2ae35);
  return [a >>> 0, (b ^ (b >>> 16)) >>> 0];
}

// Running state of hashRow (module-level so no closure is allocated per row).
let ha = 0;
let hb = 0;
let hlength = 0;

function feed(text: string): void {
  for (let i = 0; i < text.length; i += 1) {
    const c = text.charCodeAt(i);
    ha = Math.imul(ha ^ c, 0x01000193);
    hb = Math.imul(hb ^ c, 0x5bd1e995);
    hb ^= hb >>> 15;
  }
  hlength += text.length;
}

/**
 * hashEncoded(encodeRow(values)) without building the string: verify hashes
 * every row of both sides, and the concatenation was most of its garbage.
 */
export function hashRow(values: unknown[]): [number, number] {
  ha = 0x811c9dc5;
  hb = 0x9747b28c;
  hlength = 0;
  for (const value of values) {
    const text = canonical(value);
    if (text === null) feed('~|');
    else {
      feed(`${text.length}:`);
      feed(text);
      feed('|');
    }
  }
  const a = ha ^ hlength;
  const b = Math.imul(hb ^ (hb >>> 13), 0xc2b2ae35);
  return [a >>> 0, (b ^ (b >>> 16)) >>> 0];
}

/** Order-independent: each half is the sum of row hashes modulo 2^32. */
export class Checksum {
  private high = 0;
  private low = 0;

  add([a, b]: [number, number]): void {
    this.high = (this.high + a) >>> 0;
    this.low = (this.low + b) >>> 0;
  }

  equals(other: Checksum): boolean {
    return this.high === other.high && this.low === other.low;
  }

  toString(): string {
    return this.high.toString(16).padStart(8, '0') + this.low.toString(16).padStart(8, '0');
  }
}
