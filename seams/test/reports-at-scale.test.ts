import path from 'node:path';
import { breakCycles, type dependencyWeights } from '../src/analyse/break-cycles';
import { analyseSeams } from '../src/analyse-seams';
import { REPORTERS } from '../src/report/reporters';
import type { SeamsReport } from '../src/seams-report';
import { analyseFixture, FIXTURES } from './support/analyse-fixture';
import { generateRing } from './support/generate-ring';

type Dependencies = ReturnType<typeof dependencyWeights>;

function dependencies(edges: Array<[string, string, number]>): Dependencies {
  const weights = new Map<string, Map<string, number>>();
  for (const [from, to, weight] of edges)
    weights.set(from, new Map([...(weights.get(from) ?? []), [to, weight]]));
  return { imports: new Map(), calls: new Map(), weights };
}

/** True when the edges left after the cuts have no cycle (every node can be ordered). */
function acyclicAfter(
  edges: Array<[string, string, number]>,
  cuts: Array<{ from: string; to: string }>,
) {
  const cut = new Set(cuts.map((c) => `${c.from}>${c.to}`));
  const left = edges.filter(([a, b]) => !cut.has(`${a}>${b}`));
  const nodes = new Set([...left.map((e) => e[0]), ...left.map((e) => e[1])]);
  while (nodes.size > 0) {
    const free = [...nodes].find((n) => !left.some(([a, b]) => a === n && nodes.has(b)));
    if (!free) return false;
    nodes.delete(free);
  }
  return true;
}

/** A small deterministic generator, so the random graphs are the same on every run. */
function random(seed: number) {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
}

describe('breaking cycles: the fewest cross-context dependencies to cut, by weight', () => {
  it('cuts the thinnest dependency of a three-context cycle', () => {
    const edges: Array<[string, string, number]> = [
      ['a', 'b', 10],
      ['b', 'c', 7],
      ['c', 'a', 2],
    ];
    const [group] = breakCycles(dependencies(edges), [['a', 'b', 'c']]);
    expect(group).toMatchObject({ method: 'exact', cutWeight: 2, totalWeight: 19 });
    expect(group.cuts.map((c) => `${c.from}→${c.to}`)).toEqual(['c→a']);
    expect(group.order).toEqual(['a', 'b', 'c'].reverse());
  });

  it('the heuristic for large groups breaks every cycle and stays close to the exact answer', () => {
    const next = random(7);
    let exactTotal = 0;
    let heuristicTotal = 0;
    for (let round = 0; round < 12; round += 1) {
      const nodes = Array.from({ length: 9 }, (_, i) => `n${i}`);
      const edges: Array<[string, string, number]> = [];
      for (const a of nodes)
        for (const b of nodes)
          if (a !== b && next() < 0.35) edges.push([a, b, 1 + Math.floor(next() * 9)]);
      const exact = breakCycles(dependencies(edges), [nodes])[0];
      // The same graph with padding nodes, so the group is over the exact limit.
      const padding = Array.from({ length: 8 }, (_, i) => `p${i}`);
      const padded: Array<[string, string, number]> = [
        ...edges,
        ...padding.map((p, i): [string, string, number] => [p, padding[(i + 1) % 8], 100]),
        ['p0', 'n0', 100],
        ['n0', 'p0', 1],
      ];
      const heuristic = breakCycles(dependencies(padded), [[...nodes, ...padding]])[0];
      expect(heuristic.method).toBe('heuristic');
      expect(acyclicAfter(padded, heuristic.cuts)).toBe(true);
      expect(acyclicAfter(edges, exact.cuts)).toBe(true);
      exactTotal += exact.cutWeight;
      heuristicTotal += heuristic.cutWeight - 1 - 100; // minus the padding's own cheapest cuts
    }
    expect(heuristicTotal).toBeGreaterThanOrEqual(exactTotal);
    expect(heuristicTotal).toBeLessThanOrEqual(exactTotal * 1.15);
  });
});

describe('reports that stay readable at 50 contexts', () => {
  let ring: ReturnType<typeof generateRing>;
  let report: SeamsReport;
  beforeAll(async () => {
    ring = generateRing(50);
    report = await analyseSeams({ root: ring.dir, cache: false });
  });
  afterAll(() => ring.cleanup());

  it('proposes cuts that break the 50-context cycle, weighted by imports and calls, and ranks with them', () => {
    expect(report.cycles).toHaveLength(1);
    const [group] = report.cycleBreaks;
    expect(group.contexts).toHaveLength(50);
    expect(group.method).toBe('heuristic');
    // One thin ring edge is enough; the heavier chords are kept.
    expect(group.cuts).toHaveLength(1);
    expect(group.cuts[0]).toMatchObject({ imports: 1, calls: 1, weight: 2 });
    const scores = new Set(report.ranking.map((r) => r.score));
    expect(scores.size).toBeGreaterThan(10);
    const first = report.ranking[0];
    expect(first.terms.find((t) => t.metric === 'cycleDependents')?.value ?? 0).toBe(0);
  });

  it('puts a dependency structure matrix in the HTML, cycle on the diagonal, cut marked, and leaves the full graph out with a note and a per-context picker', () => {
    const html = REPORTERS.html.render(report).output;
    expect(html).toContain('<table class="dsm">');
    expect(html.match(/<th class="row">\d+\. feature/g)).toHaveLength(50);
    expect(html).toMatch(/<td class="d1 data cut" title="[^"]+proposed cut[^"]*">✂2<\/td>/);
    expect(report.dependencyMatrix.groups).toEqual([[0, 49]]);
    expect(html).not.toContain('aria-label="context graph"');
    expect(html).toContain('one graph of all of them is unreadable above 20');
    expect(html.match(/<section class="ego" id="ctx-feature\d\d">/g)).toHaveLength(50);
    expect(html).not.toMatch(/<script/);
  });

  it('keeps the terminal summary to a screen: the top 20 of the ranking, then the cuts', () => {
    const text = REPORTERS.text.render(report).output;
    expect(text).toContain('… 30 more in --format md, json or html');
    expect(text).toMatch(
      /Cycle of 50 contexts: cutting 1 dependency \(weight 2 of \d+\) breaks it:/,
    );
    expect(text.split('\n').length).toBeLessThan(70);
  });
});

describe('findings a team can act on', () => {
  it('names the writer in each shared-written finding, so no two titles are the same', async () => {
    const report = await analyseFixture('patterns/shared-writes');
    expect(report.findings.filter((f) => f.kind === 'shared-written').map((f) => f.title)).toEqual([
      'ledger is also written by orders (owner: finance; writers: finance, orders, refunds)',
      'ledger is also written by refunds (owner: finance; writers: finance, orders, refunds)',
    ]);
  });

  it('when imports are of test doubles and fakes (seams.yaml testDoubles), then they do not count as coupling', async () => {
    const dir = path.join(FIXTURES, 'patterns', 'test-doubles');
    const plain = await analyseFixture('patterns/test-doubles');
    const report = await analyseFixture('patterns/test-doubles', {
      config: path.join(dir, 'seams.yaml'),
    });
    expect(plain.summary.crossContextImports).toBe(3);
    expect(report.summary).toMatchObject({ crossContextImports: 1, testDoubleImports: 2 });
    expect(report.findings.map((f) => f.id)).toEqual(['code-import:orders->payments']);
  });
});
