import { type ts, tsv as sharedTsv, scriptKindOf } from './typescript';
import type { FileFacts } from './facts';
import { collectDeclarations } from './collect-declarations';
import { collectFunctions } from './walk-functions';
import type { SqlParser } from './read-sql';

// A module-local binding: reading an imported binding costs a getter call per use.
const tsv = sharedTsv;

/**
 * Extracts the syntactic facts of one source file. A file with syntax errors is
 * still read (the parser recovers) and its errors are reported, never thrown.
 *
 * @example parseFile('src/orders/repository.ts', text).functions
 */
export function parseFile(fileName: string, text: string, sqlParser?: SqlParser): FileFacts {
  const sf = tsv.createSourceFile(
    fileName,
    text,
    tsv.ScriptTarget.Latest,
    false,
    scriptKindOf(fileName),
  );
  const diagnostics =
    (sf as unknown as { parseDiagnostics?: ts.DiagnosticWithLocation[] }).parseDiagnostics ?? [];
  const parseErrors = diagnostics.slice(0, 5).map((d) => ({
    line: sf.getLineAndCharacterOfPosition(d.start).line + 1,
    message: tsv.flattenDiagnosticMessageText(d.messageText, ' '),
  }));
  const decl = collectDeclarations(sf);
  const { functions, classes } = collectFunctions(sf, decl, sqlParser);
  return {
    imports: decl.imports,
    bindings: decl.bindings,
    exports: decl.exports,
    constants: decl.constants,
    ...(Object.keys(decl.aliases).length > 0 ? { aliases: decl.aliases } : {}),
    classes,
    functions: functions.filter(
      (fn) =>
        fn.id !== '<module>' ||
        fn.accesses.length > 0 ||
        fn.calls.length > 0 ||
        Object.keys(fn.variableTypes).length > 0,
    ),
    parseErrors,
  };
}
