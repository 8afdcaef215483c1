import { readChoice, readInteger, readNumber, readPercent } from '../src/cli-options';

describe('CLI value readers', () => {
  it('a percent is a whole number from 0 to 100; anything else is refused with the flag and an example', () => {
    expect(readPercent('0')).toBe(0);
    expect(readPercent('100')).toBe(100);
    for (const bad of ['150', '-5', 'abc', '10.5', '', '1e1', ' '])
      expect(() => readPercent(bad)).toThrow(
        /--percent must be a whole number from 0 to 100 .*e\.g\. --percent 10/,
      );
  });

  it('when an integer has no upper bound, then its message says "at least"', () => {
    expect(readInteger('7', { flag: '--limit', min: 1, example: '--limit 50' })).toBe(7);
    expect(() => readInteger('0', { flag: '--limit', min: 1, example: '--limit 50' })).toThrow(
      '--limit must be a whole number of at least 1 (got "0"), e.g. --limit 50',
    );
  });

  it('a decimal number may exclude its lower bound', () => {
    const rule = { flag: '--scale', min: 0, exclusiveMin: true, max: 1000, example: '--scale 1' };
    expect(readNumber('0.02', rule)).toBe(0.02);
    for (const bad of ['0', '-1', 'lots', '1001', 'Infinity', '0x10'])
      expect(() => readNumber(bad, rule)).toThrow(
        /--scale must be a number above 0 and at most 1000/,
      );
  });

  it('a choice is case-insensitive, returns the canonical spelling and lists the known values', () => {
    expect(readChoice('get', 'method', ['GET', 'POST'])).toBe('GET');
    expect(() => readChoice('FOO', 'method', ['GET', 'POST'])).toThrow(
      'method "FOO" is not one of GET, POST',
    );
  });
});
