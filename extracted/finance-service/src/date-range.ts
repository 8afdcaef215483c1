import { z } from 'zod';
import type { TimeRange } from './repository';

// Copied from the monolith's finance/date-range.ts: the same from/to must select the same ledger rows.

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/;

// Date-only strings must survive a round trip, so 2026-02-30 is refused instead of becoming 2 March.
function isIsoDate(text: string): boolean {
  if (DATE_ONLY.test(text))
    return !Number.isNaN(Date.parse(text)) && new Date(text).toISOString().slice(0, 10) === text;
  return DATE_TIME.test(text) && !Number.isNaN(Date.parse(text));
}

/** An ISO date (2026-01-31) or date-time (2026-01-31T12:00:00Z) query parameter. */
export const isoDateText = z
  .string()
  .refine(isIsoDate, 'expected an ISO date like 2026-01-31 or 2026-01-31T12:00:00Z');

const BEGINNING = '0000-01-01T00:00:00.000Z';
const END = '9999-12-31T23:59:59.999Z';

/** from is inclusive; a date-only `to` includes that whole day. Ledger timestamps are ISO strings, so they compare as text. */
export function toTimeRange(from?: string, to?: string): TimeRange {
  const start = from ? new Date(from).toISOString() : BEGINNING;
  if (!to) return { from: start, until: END };
  const end = new Date(to);
  if (DATE_ONLY.test(to)) end.setUTCDate(end.getUTCDate() + 1);
  else end.setUTCMilliseconds(end.getUTCMilliseconds() + 1);
  return { from: start, until: end.toISOString() };
}
