import fs from 'node:fs';
import { parseDocument } from 'yaml';

/** Sets a data set's owner in the spec file, keeping its comments; temp file + rename, so a crash leaves the old or the new file. */
export function writeSpecOwner(file: string, set: string, owner: string): void {
  const doc = parseDocument(fs.readFileSync(file, 'utf8'));
  if (doc.getIn(['dataSets', set, 'owner']) === owner) return;
  doc.setIn(['dataSets', set, 'owner'], owner);
  const temporary = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temporary, doc.toString());
  fs.renameSync(temporary, file);
}
