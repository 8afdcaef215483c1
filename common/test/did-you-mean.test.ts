import { closestName, didYouMean, editDistance } from '../src/did-you-mean';

describe('did you mean', () => {
  it('counts insertions, deletions and substitutions', () => {
    expect(editDistance('upstream', 'upstream')).toBe(0);
    expect(editDistance('upstrem', 'upstream')).toBe(1);
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('', 'abc')).toBe(3);
  });

  it('when a name is within two edits or differs only in case, then it is suggested', () => {
    expect(closestName('Catalog', ['finance', 'catalog'])).toBe('catalog');
    expect(closestName('catlog', ['finance', 'catalog'])).toBe('catalog');
    expect(didYouMean('finanse', ['catalog', 'finance'])).toBe('; did you mean "finance"?');
  });

  it('when nothing is close, then nothing is suggested', () => {
    expect(closestName('orders', ['catalog', 'finance'])).toBeUndefined();
    expect(didYouMean('orders', ['catalog', 'finance'])).toBe('');
  });
});
