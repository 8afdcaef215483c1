/** Bump when the shape or meaning of FileFacts changes: it invalidates every cache. */
export const EXTRACTOR_VERSION = 3;
