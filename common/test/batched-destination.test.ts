import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { batchLines } from '../src/batched-destination';

const ROOT = path.join(__dirname, '..', '..');

describe('logs batched into few writes', () => {
  it('hands the lines of one interval to the destination as one write, in order, and flushes early when many wait', () => {
    jest.useFakeTimers();
    try {
      const writes: string[] = [];
      const destination = batchLines(
        () => ({ write: (data: Buffer) => writes.push(data.toString('utf8')) }),
        { flushEveryMs: 20, maxPendingChars: 10 },
      );
      destination.write('a\n');
      destination.write('ü\n');
      jest.advanceTimersByTime(19);
      expect(writes).toEqual([]);
      jest.advanceTimersByTime(1);
      expect(writes).toEqual(['a\nü\n']);
      destination.write('0123456789\n');
      expect(writes).toEqual(['a\nü\n', '0123456789\n']);
      destination.write('c\n');
      destination.flushSync!();
      expect(writes).toEqual(['a\nü\n', '0123456789\n', 'c\n']);
      jest.advanceTimersByTime(100);
      expect(writes).toHaveLength(3);
    } finally {
      jest.useRealTimers();
    }
  });

  it('loses no line when a server logs heavily and exits at once (async stdout, flushed on exit)', () => {
    const script = `
      const { createLogger } = require('./common/src/logger');
      const logger = createLogger('exit-test', { async: true });
      let n = 0;
      function burst() {
        for (let i = 0; i < 1000; i++) logger.info({ n: n++, text: 'ü'.repeat(20) }, 'request');
        if (n < 20000) setImmediate(burst); else { for (let i = 0; i < 500; i++) logger.info({ n: n++ }, 'request'); process.exit(0); }
      }
      burst();`;
    const child = spawnSync(process.execPath, ['--import', 'tsx', '-e', script], {
      cwd: ROOT,
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    });
    expect(child.status).toBe(0);
    const numbers = child.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line).n as number);
    expect(numbers).toHaveLength(20500);
    expect(numbers.every((value, i) => value === i)).toBe(true);
  });
});
