import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import { ExerciseError } from './errors';

export interface Exercise {
  id: number;
  /** Two digits, as in the folder name: "01". */
  label: string;
  title: string;
  minutes: number;
  needs: number[];
  folder: string;
}

const exerciseSchema = z
  .object({
    id: z.number().int().min(1).max(99),
    title: z.string().min(1),
    minutes: z.number().int().positive(),
    needs: z.array(z.number().int()).default([]),
  })
  .strict();

export const labelOf = (id: number) => String(id).padStart(2, '0');

/** Every exercise under `<root>/exercises/NN-slug/`, by id; exercise.yaml checked on the way. */
export function loadExercises(root: string): Exercise[] {
  const base = path.join(root, 'exercises');
  if (!fs.existsSync(base)) return [];
  const exercises = fs
    .readdirSync(base, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && /^\d\d-/.test(entry.name))
    .map((entry) => readExercise(path.join(base, entry.name)))
    .sort((a, b) => a.id - b.id);
  const ids = new Set(exercises.map((e) => e.id));
  for (const exercise of exercises)
    for (const need of exercise.needs)
      if (!ids.has(need) || need >= exercise.id)
        throw new ExerciseError(
          'ERR_EXERCISE_DEFINITION',
          `${path.relative(root, exercise.folder)}/exercise.yaml: needs ${need} is not an earlier exercise (known: ${[...ids].join(', ')})`,
        );
  return exercises;
}

function readExercise(folder: string): Exercise {
  const file = path.join(folder, 'exercise.yaml');
  let raw: unknown;
  try {
    raw = parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    throw new ExerciseError('ERR_EXERCISE_DEFINITION', `${file}: ${(error as Error).message}`);
  }
  const parsed = exerciseSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ExerciseError(
      'ERR_EXERCISE_DEFINITION',
      `${file}: field "${issue.path.join('.') || '(root)'}": ${issue.message}`,
    );
  }
  const folderId = Number(path.basename(folder).slice(0, 2));
  if (folderId !== parsed.data.id)
    throw new ExerciseError(
      'ERR_EXERCISE_DEFINITION',
      `${file}: id ${parsed.data.id} does not match the folder's number ${folderId}`,
    );
  return { ...parsed.data, label: labelOf(parsed.data.id), folder };
}

/** The exercise with that id, or a usage error listing the known ones. */
export function findExercise(exercises: readonly Exercise[], id: number): Exercise {
  const found = exercises.find((e) => e.id === id);
  if (!found)
    throw new ExerciseError(
      'ERR_EXERCISE_UNKNOWN',
      `there is no exercise ${id}; known: ${exercises.map((e) => e.label).join(', ')} (npx strangler exercises lists them)`,
    );
  return found;
}

/** Every exercise `exercise` builds on, transitively, earliest first. */
export function prerequisitesOf(exercises: readonly Exercise[], exercise: Exercise): Exercise[] {
  const seen = new Map<number, Exercise>();
  const visit = (e: Exercise) => {
    for (const need of e.needs) {
      const required = findExercise(exercises, need);
      if (seen.has(need)) continue;
      visit(required);
      seen.set(need, required);
    }
  };
  visit(exercise);
  return [...seen.values()].sort((a, b) => a.id - b.id);
}

/** The `## Hint N` sections of hints.md, in order. */
export function loadHints(exercise: Exercise): string[] {
  const file = path.join(exercise.folder, 'hints.md');
  if (!fs.existsSync(file)) return [];
  return fs
    .readFileSync(file, 'utf8')
    .split(/^## Hint \d+\s*$/m)
    .slice(1)
    .map((section) => section.trim())
    .filter(Boolean);
}
