import zlib from 'node:zlib';

// necessary because a bomb of a few KB can inflate to gigabytes: the comparison never decodes past this.
const MAX_DECODED_BYTES = 32 * 1024 * 1024;

/**
 * Undoes `Content-Encoding` (gzip, deflate, br) so two answers compressed
 * differently still compare by content. Unknown or broken encodings stay as bytes.
 */
export function decodeContent(bytes: Buffer, encoding: string | undefined): Buffer {
  if (!encoding || bytes.length === 0) return bytes;
  const options = { maxOutputLength: MAX_DECODED_BYTES };
  try {
    let decoded = bytes;
    // Encodings apply in the order listed, so they are undone from last to first.
    for (const coding of encoding
      .toLowerCase()
      .split(',')
      .map((c) => c.trim())
      .reverse()) {
      if (coding === 'gzip' || coding === 'x-gzip') decoded = zlib.gunzipSync(decoded, options);
      else if (coding === 'deflate') decoded = zlib.inflateSync(decoded, options);
      else if (coding === 'br') decoded = zlib.brotliDecompressSync(decoded, options);
      else if (coding !== 'identity') return bytes;
    }
    return decoded;
  } catch {
    return bytes;
  }
}
