import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/**
 * Writes beside the file, then renames over it: a reader (or a crash) sees the old file or
 * the new one, never half of one. The temporary name is unique per process and call.
 */
export function writeFileAtomically(file: string, text: string): void {
  const temp = path.join(
    path.dirname(file),
    `.${path.basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`,
  );
  fs.writeFileSync(temp, text, { mode: 0o644 });
  try {
    fs.renameSync(temp, file);
  } catch (error) {
    fs.rmSync(temp, { force: true });
    throw error;
  }
}
