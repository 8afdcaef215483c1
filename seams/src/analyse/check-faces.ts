import picomatch from 'picomatch';
import type { PublicFaceRule } from '../config';
import type { ImportEdge } from '../model';
import type { RuleViolation } from './check-rules';

/** The folder of `file` that one of the rule's folder globs names, if any (the deepest). */
function faceFolder(file: string, isFolder: (dir: string) => boolean): string | undefined {
  const parts = file.split('/');
  for (let end = parts.length - 1; end > 0; end -= 1) {
    const dir = parts.slice(0, end).join('/');
    if (isFolder(dir)) return dir;
  }
  return undefined;
}

/**
 * Imports into a feature folder from outside it that do not go through its
 * public face (by default its index file): `import { x } from '../shadow/tap'`
 * where only `../shadow` (shadow/index.ts) may be imported.
 */
export function checkFaces(
  rules: readonly PublicFaceRule[],
  edges: readonly ImportEdge[],
): RuleViolation[] {
  return rules.flatMap((rule) => {
    const isFolder = picomatch(rule.folders, { dot: true });
    const isFace = picomatch(rule.face, { dot: true });
    const seen = new Set<string>();
    return edges.flatMap((edge) => {
      // The file the import statement names (a barrel when it went through one).
      const target = edge.via ?? edge.to;
      const folder = faceFolder(target, isFolder);
      if (!folder || edge.from.startsWith(`${folder}/`)) return [];
      if (isFace(target.slice(folder.length + 1))) return [];
      // One import statement can reach several files through a barrel: one violation.
      const id = `${edge.from}:${edge.line}`;
      if (seen.has(id)) return [];
      seen.add(id);
      return [
        {
          key: `rule|${rule.name}|${edge.from}|${folder}`,
          rule: rule.name,
          ...(rule.comment ? { comment: rule.comment } : {}),
          from: edge.fromContext ?? edge.from,
          to: folder,
          file: edge.from,
          line: edge.line,
          specifier: edge.specifier,
          target,
        },
      ];
    });
  });
}
