import { isoDateText, toTimeRange } from '../src/finance/date-range';
import { formatField } from '../src/http/validation';
import { computeTax, mergeLines } from '../src/warehouse/order-pricing';

describe('order pricing', () => {
  it.each([
    [999, 2000, 200], // 199.8 → 200
    [1000, 1950, 195],
    [1, 5000, 1], // 0.5 → 1 (half up)
    [1, 4999, 0],
    [12345, 0, 0],
  ])('tax on %i cents at %i bp is %i cents', (subtotal, bp, tax) => {
    expect(computeTax(subtotal, bp)).toBe(tax);
  });

  it('when an album is repeated, then it is merged into the first line that named it', () => {
    expect(
      mergeLines([
        { albumId: 2, quantity: 1 },
        { albumId: 5, quantity: 1 },
        { albumId: 2, quantity: 3 },
      ]),
    ).toEqual([
      { albumId: 2, quantity: 4, index: 0 },
      { albumId: 5, quantity: 1, index: 1 },
    ]);
  });
});

describe('report date ranges', () => {
  it('accepts ISO dates and date-times, refuses impossible ones', () => {
    for (const ok of ['2026-01-31', '2026-01-31T12:00:00Z', '2026-01-31T12:00:00.5+02:00'])
      expect(isoDateText.safeParse(ok).success).toBe(true);
    for (const bad of ['2026-02-30', '31/01/2026', '2026-01-31 12:00', 'yesterday'])
      expect(isoDateText.safeParse(bad).success).toBe(false);
  });

  it('when an end is date-only, then the whole day is included; when a date-time, then one millisecond past it', () => {
    expect(toTimeRange('2026-01-01', '2026-01-31')).toEqual({
      from: '2026-01-01T00:00:00.000Z',
      until: '2026-02-01T00:00:00.000Z',
    });
    expect(toTimeRange(undefined, '2026-01-31T10:00:00Z').until).toBe('2026-01-31T10:00:00.001Z');
  });
});

describe('formatField', () => {
  it('names nested fields the way clients write them', () => {
    expect(formatField(['lines', 0, 'quantity'], 'body')).toBe('lines[0].quantity');
    expect(formatField([], 'body')).toBe('body');
  });
});
