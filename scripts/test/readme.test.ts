import fs from 'node:fs';
import path from 'node:path';
import { DEFAULT_PORTS } from '../start-stack';

const readme = fs.readFileSync(path.join(__dirname, '..', '..', 'README.md'), 'utf8');

function section(heading: string): string {
  const start = readme.indexOf(`## ${heading}\n`);
  expect(start).toBeGreaterThanOrEqual(0);
  const end = readme.indexOf('\n## ', start + 1);
  return readme.slice(start, end === -1 ? undefined : end);
}

describe('the README a new user follows', () => {
  it('"Two commands" lists exactly two commands in its shell blocks', () => {
    const blocks = [...section('Two commands').matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]);
    const commands = blocks
      .flatMap((block) => block.split('\n'))
      .map((line) => line.replace(/#.*/, '').trim())
      .filter(Boolean);
    expect(commands).toEqual(['npm start', 'npm test']);
  });

  it('every curl goes through the proxy port that `npm start` prints', () => {
    const curls = [...readme.matchAll(/curl [^`\n]*?(?:127\.0\.0\.1|localhost):(\d+)/g)];
    expect(curls.length).toBeGreaterThan(0);
    for (const curl of curls) expect(Number(curl[1])).toBe(DEFAULT_PORTS.proxy);
  });
});
