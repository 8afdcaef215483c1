import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { analyseSeams } from '../src/analyse-seams';
import { copyFixture } from './support/analyse-fixture';

describe('per-file content-hash cache', () => {
  it('when one file changes, then unchanged files are reused, the changed one re-parsed, and the answer equals a cold run', async () => {
    const copy = copyFixture('table-names');
    const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'seams-cache-'));
    try {
      const cold = await analyseSeams({ root: copy.dir, cacheDir });
      expect(cold.summary).toMatchObject({ files: 4, parsed: 4, reused: 0 });

      const warm = await analyseSeams({ root: copy.dir, cacheDir });
      expect(warm.summary).toMatchObject({ parsed: 0, reused: 4 });
      expect(warm.findings).toEqual(cold.findings);

      const file = path.join(copy.dir, 'tasks', 'task-repository.ts');
      fs.writeFileSync(
        file,
        fs
          .readFileSync(file, 'utf8')
          .replace('this.conn(TASKS).insert({ title })', "this.conn('task_log').insert({ title })"),
      );
      const changed = await analyseSeams({ root: copy.dir, cacheDir });
      expect(changed.summary).toMatchObject({ parsed: 1, reused: 3 });
      expect(changed.tables.map((t) => t.table)).toContain('task_log');
      const uncached = await analyseSeams({ root: copy.dir, cache: false });
      expect(changed.tables).toEqual(uncached.tables);
    } finally {
      copy.cleanup();
      fs.rmSync(cacheDir, { recursive: true, force: true });
    }
  });

  it('when the cache file is corrupt, then it is treated as empty instead of failing', async () => {
    const copy = copyFixture('clean');
    const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'seams-cache-'));
    try {
      await analyseSeams({ root: copy.dir, cacheDir });
      for (const name of fs.readdirSync(cacheDir))
        fs.writeFileSync(path.join(cacheDir, name), '{"files": tru');
      const report = await analyseSeams({ root: copy.dir, cacheDir });
      expect(report.summary).toMatchObject({ parsed: 3, reused: 0 });
    } finally {
      copy.cleanup();
      fs.rmSync(cacheDir, { recursive: true, force: true });
    }
  });
});
