export interface OrderLineInput {
  albumId: number;
  quantity: number;
}

/** Same album twice in one order is merged into one line (quantities added), keeping first-seen order. */
export function mergeLines(lines: OrderLineInput[]): (OrderLineInput & { index: number })[] {
  const merged = new Map<number, OrderLineInput & { index: number }>();
  lines.forEach((line, index) => {
    const seen = merged.get(line.albumId);
    if (seen) seen.quantity += line.quantity;
    else merged.set(line.albumId, { ...line, index });
  });
  return [...merged.values()];
}

/** Tax in cents from basis points (2000 = 20%), rounded half up. */
export function computeTax(subtotalCents: number, taxRateBp: number): number {
  return Math.floor((subtotalCents * taxRateBp + 5000) / 10000);
}
