import { compileRules } from '../../../src/shadow';
import {
  MAX_EXAMPLES_WITH_BODIES,
  replayRequests,
  type Send,
} from '../../../src/shadow/parity/replay';
import type { NumberedRequest } from '../../../src/shadow';

const requests = (n: number): NumberedRequest[] =>
  Array.from({ length: n }, (_, i) => ({ method: 'GET', path: `/albums/${i}`, line: i + 1 }));
const answering =
  (value: number, delay: (path: string) => number = () => 0): Send =>
  async (request) => {
    await new Promise((resolve) => setTimeout(resolve, delay(request.path)));
    return { status: 200, body: { path: request.path, value } };
  };

describe('replaying a request log', () => {
  it('keeps results in log order whatever order the answers come back in', async () => {
    const slowFirst = (path: string) => (path === '/albums/0' ? 30 : 0);
    const { results } = await replayRequests({
      requests: requests(5),
      sendA: answering(1, slowFirst),
      sendB: answering(1),
      rules: compileRules(),
      concurrency: 3,
      timeoutMs: 5000,
    });
    expect(results.map((r) => [r.request.line, r.outcome])).toEqual([
      [1, 'match'],
      [2, 'match'],
      [3, 'match'],
      [4, 'match'],
      [5, 'match'],
    ]);
  });

  it(`keeps both answers for the ${MAX_EXAMPLES_WITH_BODIES} earliest mismatches only, so memory stays bounded`, async () => {
    const total = MAX_EXAMPLES_WITH_BODIES + 50;
    // early lines answer last, so the keeper must evict later lines it had already kept
    const reversed = (path: string) => (Number(path.split('/')[2]) < 20 ? 20 : 0);
    const { results } = await replayRequests({
      requests: requests(total),
      sendA: answering(1, reversed),
      sendB: answering(2),
      rules: compileRules(),
      concurrency: 16,
      timeoutMs: 5000,
    });
    expect(results.every((r) => r.outcome === 'differ' && r.differences.length === 1)).toBe(true);
    const withBodies = results
      .filter((r) => r.a !== undefined && r.b !== undefined)
      .map((r) => r.request.line);
    expect(withBodies).toEqual(Array.from({ length: MAX_EXAMPLES_WITH_BODIES }, (_, i) => i + 1));
  });

  it('reports a timeout of either side as an error naming the side', async () => {
    const never: Send = (_request, signal) =>
      new Promise((_resolve, reject) =>
        signal!.addEventListener('abort', () => reject(signal!.reason)),
      );
    const { results } = await replayRequests({
      requests: requests(1),
      sendA: answering(1),
      sendB: never,
      rules: compileRules(),
      concurrency: 1,
      timeoutMs: 20,
    });
    expect(results[0]).toMatchObject({
      outcome: 'error',
      error: expect.stringMatching(/^b: .*timeout/i),
    });
  });
});
