import { createProgress } from '../src/progress';

function fakeStream(tty: boolean) {
  const writes: string[] = [];
  const stream = {
    isTTY: tty,
    write: (text: string) => writes.push(text),
  } as unknown as NodeJS.WriteStream;
  return { stream, writes };
}

describe('the progress bar', () => {
  it('when the first batch is done, then nothing is drawn at once: the first line comes one interval in, with real progress', () => {
    let clock = 1_000_000;
    const { stream, writes } = fakeStream(true);
    const progress = createProgress('seeding', 54_613, stream, () => clock);
    progress.tick(13);
    expect(writes).toEqual([]);
    clock += 150;
    progress.tick(20_000);
    expect(writes).toHaveLength(1);
    expect(writes[0]).toMatch(/^\rseeding [█░]{24}\s+37% 20,000\/54,613 ETA 0s/);
    progress.finish();
    expect(writes[1]).toMatch(/100% 20,000\/20,000/);
  });

  it('when the output is a file or a CI log, then a line is written every two seconds', () => {
    let clock = 0;
    const { stream, writes } = fakeStream(false);
    const progress = createProgress('backfill', 1000, stream, () => clock);
    for (let done = 100; done <= 500; done += 100) {
      clock += 1000;
      progress.tick(done);
    }
    expect(writes).toEqual([
      expect.stringMatching(/ 20% 200\/1,000 ETA 8s, 100\/s\n$/),
      expect.stringMatching(/ 40% 400\/1,000 ETA 6s, 100\/s\n$/),
    ]);
  });
});
