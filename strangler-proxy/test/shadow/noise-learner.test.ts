import {
  compareResponses,
  compileRules,
  createNoiseLearner,
  type ResponseSnapshot,
} from '../../src/shadow';

const answer = (
  requestId: string,
  items: Array<{ id: number; at: string }>,
  total = 2,
): ResponseSnapshot => ({
  status: 200,
  headers: { 'content-type': 'application/json', date: requestId },
  body: JSON.stringify({ meta: { requestId }, items, total }),
});

describe('noise learning from the primary answering twice', () => {
  const rules = compileRules({ headers: ['date'] });

  it('treats a field as noise once it differed in N of the last M samples, and the comparator then ignores it', () => {
    const learner = createNoiseLearner({ samples: 4, threshold: 2 });
    learner.learn(
      'albums',
      answer('r1', [{ id: 1, at: 't1' }]),
      answer('r2', [{ id: 1, at: 't1' }]),
      rules,
    );
    expect(learner.noiseOf('albums').size).toBe(0);
    learner.learn(
      'albums',
      answer('r3', [{ id: 1, at: 't1' }]),
      answer('r4', [{ id: 1, at: 't2' }]),
      rules,
    );
    expect([...learner.noiseOf('albums')].sort()).toEqual(['$.meta.requestId', 'headers.date']);

    const primary = answer('r5', [{ id: 1, at: 't1' }]);
    const candidate = answer('r6', [{ id: 1, at: 't1' }], 3);
    const differences = compareResponses(primary, candidate, rules, {
      noise: learner.noiseOf('albums'),
    }).differences;
    expect(differences.map((d) => d.path)).toEqual(['$.total']);
  });

  it('learns fields of array elements once for all positions', () => {
    const learner = createNoiseLearner({ samples: 2, threshold: 1 });
    learner.learn(
      'albums',
      answer('x', [
        { id: 1, at: 'a' },
        { id: 2, at: 'a' },
      ]),
      answer('x', [
        { id: 1, at: 'b' },
        { id: 2, at: 'c' },
      ]),
    );
    expect([...learner.noiseOf('albums')]).toEqual(['$.items[*].at']);
    expect(learner.describe('albums')).toEqual({
      samples: 1,
      fields: [{ field: '$.items[*].at', differed: 1, noise: true }],
    });
  });

  it('forgets noise that stopped differing once it leaves the window, and keeps routes apart', () => {
    const learner = createNoiseLearner({ samples: 2, threshold: 1 });
    learner.observe('a', ['$.x']);
    expect(learner.noiseOf('a').has('$.x')).toBe(true);
    expect(learner.noiseOf('b').size).toBe(0);
    learner.observe('a', []);
    expect(learner.noiseOf('a').has('$.x')).toBe(true);
    learner.observe('a', []);
    expect(learner.noiseOf('a').has('$.x')).toBe(false);
  });

  it('bounds memory: routes past the cap are not learned', () => {
    const learner = createNoiseLearner({ samples: 2, threshold: 1, maxRoutes: 1 });
    learner.observe('a', ['$.x']);
    learner.observe('b', ['$.x']);
    expect(learner.describe('b').samples).toBe(0);
  });
});
