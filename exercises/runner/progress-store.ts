import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { writeFileAtomically } from '../../common/src/atomic-write';

const progressSchema = z.object({
  current: z.number().int().optional(),
  done: z.record(z.string(), z.string()).default({}),
  solved: z.record(z.string(), z.string()).default({}),
  hintsShown: z.record(z.string(), z.number().int()).default({}),
});

export type Progress = z.output<typeof progressSchema>;

/** The learner's progress, kept in a gitignored file (data/exercises-progress.json by default). */
export class ProgressStore {
  constructor(readonly file: string) {}

  static forRoot(root: string): ProgressStore {
    return new ProgressStore(
      process.env.STRANGLER_EXERCISES_PROGRESS ??
        path.join(root, 'data', 'exercises-progress.json'),
    );
  }

  read(): Progress {
    if (!fs.existsSync(this.file)) return progressSchema.parse({});
    try {
      return progressSchema.parse(JSON.parse(fs.readFileSync(this.file, 'utf8')));
    } catch {
      // A damaged progress file only loses "what was done", never work: start over rather than stop.
      return progressSchema.parse({});
    }
  }

  update(change: (progress: Progress) => void): Progress {
    const progress = this.read();
    change(progress);
    fs.mkdirSync(path.dirname(this.file), { recursive: true });
    writeFileAtomically(this.file, `${JSON.stringify(progress, null, 2)}\n`);
    return progress;
  }
}

export type ExerciseStatus = 'done' | 'current' | 'not started';

export function statusOf(progress: Progress, id: number): ExerciseStatus {
  if (progress.done[id] || progress.solved[id]) return 'done';
  if (progress.current === id) return 'current';
  return 'not started';
}
