import { Registry } from 'prom-client';
import {
  createNoiseLearner,
  createParallelRun,
  createResultsStore,
  createShadowMetrics,
  type ResponseSnapshot,
  type ShadowSend,
  shadowSpecSchema,
} from '../../src/shadow';

const answer = (body: unknown): ResponseSnapshot => ({
  status: 200,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
});
const request = { method: 'GET', path: '/albums/1', headers: {}, correlationId: 'corr-9' };

function setup(
  spec: unknown,
  sendCandidate: ShadowSend,
  sendPrimary?: ShadowSend,
  random = () => 0,
) {
  const store = createResultsStore();
  const registry = new Registry();
  const learner = createNoiseLearner({ samples: 10, threshold: 1 });
  const run = createParallelRun({
    route: 'albums',
    spec: shadowSpecSchema.parse(spec),
    sendCandidate,
    sendPrimary,
    store,
    learner,
    metrics: createShadowMetrics(registry),
    random,
  });
  return { run, store, registry, learner };
}

describe('parallel run of one route', () => {
  it('compares the candidate with the primary answer and records a difference with the correlation id', async () => {
    const { run, store, registry } = setup({ upstream: 'catalog' }, async () =>
      answer({ id: 1, price: 11 }),
    );
    await expect(run.mirror(request, Promise.resolve(answer({ id: 1, price: 10 })))).resolves.toBe(
      'differ',
    );
    await expect(run.mirror(request, Promise.resolve(answer({ id: 1, price: 11 })))).resolves.toBe(
      'match',
    );
    expect(store.route('albums')).toMatchObject({
      compared: 2,
      matched: 1,
      matchRate: 0.5,
      fields: [{ field: '$.price', count: 1 }],
    });
    expect(store.samples('albums')[0]).toMatchObject({
      correlationId: 'corr-9',
      path: '/albums/1',
      differences: [{ path: '$.price', a: 10, b: 11 }],
    });
    expect(await registry.metrics()).toContain(
      'strangler_proxy_shadow_match_ratio{route="albums"} 0.5',
    );
  });

  it('applies the route rules from the shadow spec', async () => {
    const { run } = setup({ upstream: 'catalog', compare: { ignore: ['$.price'] } }, async () =>
      answer({ id: 1, price: 11 }),
    );
    await expect(run.mirror(request, Promise.resolve(answer({ id: 1, price: 10 })))).resolves.toBe(
      'match',
    );
  });

  it('counts a dropped candidate (write method, failure) and a missing primary answer without comparing', async () => {
    const { run, store, registry } = setup({ upstream: 'catalog' }, async () => {
      throw new Error('refused');
    });
    await expect(
      run.mirror({ ...request, method: 'POST' }, Promise.resolve(answer({}))),
    ).resolves.toBe('dropped');
    await expect(run.mirror(request, Promise.resolve(answer({})))).resolves.toBe('dropped');
    const ok = setup({ upstream: 'catalog' }, async () => answer({}));
    await expect(
      ok.run.mirror(request, Promise.reject(new Error('client went away'))),
    ).resolves.toBe('dropped');
    expect(store.route('albums')).toMatchObject({ compared: 0, dropped: { method: 1, error: 1 } });
    expect(ok.store.route('albums')).toMatchObject({ dropped: { primary: 1 } });
    expect(await registry.metrics()).toContain(
      'strangler_proxy_shadow_dropped_total{route="albums",reason="method"} 1',
    );
  });

  it('learns noise from the primary answering a share of requests twice, and ignores it from then on', async () => {
    let n = 0;
    let roll = 0.5;
    const primaryAgain: ShadowSend = async () => answer({ id: 1, requestId: `p${++n}` });
    const spec = { upstream: 'catalog', learnNoise: { share: 0.25, samples: 5, threshold: 1 } };
    const { run, learner } = setup(
      spec,
      async () => answer({ id: 1, requestId: 'c' }),
      primaryAgain,
      () => roll,
    );
    await expect(
      run.mirror(request, Promise.resolve(answer({ id: 1, requestId: 'p0' }))),
    ).resolves.toBe('differ');
    expect(run.stats().primaryAgain).toMatchObject({ sent: 0 });
    roll = 0.1;
    await expect(
      run.mirror(request, Promise.resolve(answer({ id: 1, requestId: 'p8' }))),
    ).resolves.toBe('match');
    expect([...learner.noiseOf('albums')]).toEqual(['$.requestId']);
    roll = 0.5;
    await expect(
      run.mirror(request, Promise.resolve(answer({ id: 1, requestId: 'p9' }))),
    ).resolves.toBe('match');
    expect(run.stats().primaryAgain).toMatchObject({ sent: 1, answered: 1 });
  });
});
