/**
 * Keeps a copy of a streamed body for comparison, up to a cap; the stream itself
 * is not touched. Past the cap the copy is dropped (the comparison is skipped),
 * so a large download never sits in memory twice.
 *
 * @example
 * const copy = createBodyCapture(1024 * 1024);
 * upstreamResponse.on('data', copy.push);
 * upstreamResponse.on('end', () => resolvePrimary(copy.result()));
 */
export function createBodyCapture(maxBytes: number) {
  let chunks: Buffer[] | undefined = [];
  let size = 0;
  return {
    push(chunk: Buffer | string): void {
      if (!chunks) return;
      const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      size += buffer.length;
      if (size > maxBytes) chunks = undefined;
      else chunks.push(buffer);
    },
    /** The whole body, or undefined when it was larger than the cap. */
    result(): Buffer | undefined {
      return chunks && Buffer.concat(chunks, size);
    },
    get overflowed(): boolean {
      return chunks === undefined;
    },
  };
}
