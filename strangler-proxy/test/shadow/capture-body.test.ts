import { createBodyCapture } from '../../src/shadow';

describe('body capture for the primary answer', () => {
  it('keeps a copy of every chunk up to the cap', () => {
    const copy = createBodyCapture(10);
    copy.push(Buffer.from('hello '));
    copy.push('world');
    expect(copy.result()).toBeUndefined();
    expect(copy.overflowed).toBe(true);
    const small = createBodyCapture(11);
    small.push(Buffer.from('hello '));
    small.push('world');
    expect(small.result()?.toString()).toBe('hello world');
    expect(small.overflowed).toBe(false);
  });
});
