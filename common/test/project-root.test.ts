import fs from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT, RUNS_COMPILED, codePath, projectPath } from '../src/project-root';

describe('project root', () => {
  it('is the folder with the kit package.json, above common/', () => {
    expect(PROJECT_ROOT).toBe(path.resolve(__dirname, '..', '..'));
    const manifest = JSON.parse(fs.readFileSync(projectPath('package.json'), 'utf8'));
    expect(manifest.name).toBe('strangler-kit');
  });

  it('when running the TypeScript sources, then code is loaded from the source path itself', () => {
    expect(RUNS_COMPILED).toBe(false);
    const migrations = projectPath('migrations', 'catalog-service');
    expect(codePath(migrations)).toBe(migrations);
  });
});
