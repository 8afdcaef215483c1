import { isMap, isScalar, parseDocument } from 'yaml';

export interface YamlEdit {
  /** Where the value lives, e.g. ['routes', 3, 'to']. */
  path: Array<string | number>;
  value: string | number;
  /** When the key is missing: the sibling key (in a block map) whose line it goes after. */
  after?: string;
}

/**
 * Sets values in YAML text by changing only their own characters, so every other line,
 * comment and spacing stays as the person wrote it (a diff shows just the edit). A missing
 * key is added on the line after `after`. Where that is not possible (a value that would
 * need quoting, a key in a flow map, …) the document is rewritten by the yaml library, which
 * keeps comments but may respace flow collections.
 */
export function editYamlText(text: string, edits: readonly YamlEdit[]): string {
  const doc = parseDocument(text);
  const splices: Array<{ start: number; end: number; text: string }> = [];
  for (const edit of edits) {
    const splice = spliceFor(text, doc, edit);
    if (!splice) return rewrite(text, edits);
    splices.push(splice);
  }
  let next = text;
  for (const s of splices.sort((a, b) => b.start - a.start))
    next = next.slice(0, s.start) + s.text + next.slice(s.end);
  const check = parseDocument(next);
  const same =
    check.errors.length === 0 && edits.every((edit) => check.getIn(edit.path) === edit.value);
  return same ? next : rewrite(text, edits);
}

const PLAIN = /^[A-Za-z0-9_/][A-Za-z0-9_./-]*$/;

function spliceFor(text: string, doc: ReturnType<typeof parseDocument>, edit: YamlEdit) {
  const literal = String(edit.value);
  if (typeof edit.value === 'string' && !PLAIN.test(literal)) return null;
  const node = doc.getIn(edit.path, true);
  if (isScalar(node) && node.range && node.type === 'PLAIN')
    return { start: node.range[0], end: node.range[1], text: literal };
  if (node !== undefined || edit.after === undefined) return null;
  const parentPath = edit.path.slice(0, -1);
  const parent = doc.getIn(parentPath, true);
  const sibling = doc.getIn([...parentPath, edit.after], true);
  if (!isMap(parent) || parent.flow || !isScalar(sibling) || !sibling.range) return null;
  const lineStart = text.lastIndexOf('\n', sibling.range[0]) + 1;
  const indent = /^ */.exec(text.slice(lineStart))?.[0] ?? '';
  const lineEnd = text.indexOf('\n', sibling.range[1]);
  const at = lineEnd === -1 ? text.length : lineEnd;
  const key = String(edit.path[edit.path.length - 1]);
  return { start: at, end: at, text: `\n${indent}${key}: ${literal}` };
}

function rewrite(text: string, edits: readonly YamlEdit[]): string {
  const doc = parseDocument(text);
  for (const edit of edits) doc.setIn(edit.path, edit.value);
  return doc.toString();
}
