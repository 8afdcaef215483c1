import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';

const ROOT = path.join(__dirname, '..', '..');

describe('asynchronous server logs', () => {
  it('when a server logs heavily and exits at once, then no line is lost (flushed on exit)', () => {
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

  it('when a quiet server logs a line, then it is handed on while the server still runs, not only at exit', async () => {
    const script = `
      const { createLogger } = require('./common/src/logger');
      createLogger('quiet-test', { async: true }).info({ n: 1 }, 'one line');
      setTimeout(() => {}, 30000);`;
    const child = spawn(process.execPath, ['--import', 'tsx', '-e', script], { cwd: ROOT });
    try {
      const line = await new Promise<string>((resolve, reject) => {
        let text = '';
        child.stdout.on('data', (chunk: Buffer) => {
          text += chunk.toString('utf8');
          if (text.includes('\n')) resolve(text);
        });
        child.on('exit', (code) => reject(new Error(`logger process exited (${code}) first`)));
      });
      expect(JSON.parse(line)).toMatchObject({ n: 1, msg: 'one line', component: 'quiet-test' });
      expect(child.exitCode).toBeNull();
    } finally {
      child.kill();
    }
  });
});
