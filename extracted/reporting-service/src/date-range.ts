import { z } from 'zod';

// Copied from finance (not shared): the reports must read a range exactly as finance's do.
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/;

function isIsoDate(text: string): boolean {
  if (DATE_ONLY.test(text))
    return !Number.isNaN(Date.parse(text)) && new Date(text).toISOString().slice(0, 10) === text;
  return DATE_TIME.test(text) && !Number.isNaN(Date.parse(text));
}

export const isoDateText = z
  .string()
  .refine(isIsoDate, 'expected an ISO date like 2026-01-31 or 2026-01-31T12:00:00Z');

/** Half-open ISO range [from, until). */
export interface TimeRange {
  from: string;
  until: string;
}

/** from is inclusive; a date-only `to` includes that whole day. */
export function toTimeRange(from?: string, to?: string): TimeRange {
  const start = from ? new Date(from).toISOString() : '0000-01-01T00:00:00.000Z';
  if (!to) return { from: start, until: '9999-12-31T23:59:59.999Z' };
  const end = new Date(to);
  if (DATE_ONLY.test(to)) end.setUTCDate(end.getUTCDate() + 1);
  else end.setUTCMilliseconds(end.getUTCMilliseconds() + 1);
  return { from: start, until: end.toISOString() };
}
