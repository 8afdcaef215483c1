import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { batchPerTurn } from '../src/batched-destination';

const ROOT = path.join(__dirname, '..', '..');

describe('logs batched per event-loop turn', () => {
  it('hands the lines of one turn to the destination as one write, in order', async () => {
    const writes: Buffer[] = [];
    const destination = batchPerTurn(() => ({ write: (data: Buffer) => writes.push(data) }));
    destination.write('a\n');
    destination.write('b\n');
    expect(writes).toEqual([]);
    await new Promise((resolve) => setImmediate(resolve));
    destination.write('c\n');
    await new Promise((resolve) => setImmediate(resolve));
    expect(writes.map((w) => w.toString('utf8'))).toEqual(['a\nb\n', 'c\n']);
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
    const child = spawnSync(process.execPath, ['--import', 'tsx', '-e', script], { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    expect(child.status).toBe(0);
    const numbers = child.stdout.trim().split('\n').map((line) => JSON.parse(line).n as number);
    expect(numbers).toHaveLength(20500);
    expect(numbers.every((value, i) => value === i)).toBe(true);
  });
});
