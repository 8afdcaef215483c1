import fs from 'node:fs';
import { parseDocument } from 'yaml';
import { editYamlText } from '../../../common/src/yaml-text';
import { writeFileAtomically } from '../../../common/src/atomic-write';

/** Sets a data set's owner in the spec file, changing nothing else; temp file + rename, so a crash leaves the old or the new file. */
export function writeSpecOwner(file: string, set: string, owner: string): void {
  const text = fs.readFileSync(file, 'utf8');
  if (parseDocument(text).getIn(['dataSets', set, 'owner']) === owner) return;
  writeFileAtomically(
    file,
    editYamlText(text, [{ path: ['dataSets', set, 'owner'], value: owner }]),
  );
}
