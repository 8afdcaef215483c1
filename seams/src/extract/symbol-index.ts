import type { CalleeRef, FileFacts, FunctionFact, TableRef } from './facts';
import type { ModuleResolver } from './resolve-modules';

export interface Definition {
  file: string;
  /** The name inside `file` ('*' for the module namespace itself). */
  local: string;
}

const MAX_HOPS = 12;

/**
 * Answers "where is this name really defined?" across files without a type
 * checker: follows import bindings and re-exports (barrels, `export *`).
 */
export class SymbolIndex {
  private readonly functionsByFile = new Map<string, Map<string, FunctionFact>>();

  constructor(
    private readonly facts: ReadonlyMap<string, FileFacts>,
    private readonly resolver: ModuleResolver,
  ) {
    for (const [file, fileFacts] of facts)
      this.functionsByFile.set(file, new Map(fileFacts.functions.map((fn) => [fn.id, fn])));
  }

  internalTarget(file: string, specifier: string): string | undefined {
    const resolution = this.resolver.resolve(file, specifier);
    return resolution.kind === 'internal' && this.facts.has(resolution.file)
      ? resolution.file
      : undefined;
  }

  /** Follows an exported name through barrels to the file that defines it. */
  findExport(file: string, name: string, hops = 0): Definition | undefined {
    const facts = this.facts.get(file);
    if (!facts || hops > MAX_HOPS) return undefined;
    if (name === '*') return { file, local: '*' };
    if (name in facts.exports) {
      const local = facts.exports[name];
      const binding = facts.bindings[local];
      const target = binding && this.internalTarget(file, binding.specifier);
      // `import { a } from './x'; export { a }` is a re-export in disguise.
      if (binding && target)
        return (
          this.findExport(target, binding.imported, hops + 1) ?? {
            file: target,
            local: binding.imported,
          }
        );
      return { file, local };
    }
    for (const imp of facts.imports) {
      if (imp.kind !== 'reexport' || !imp.reexports) continue;
      const target = this.internalTarget(file, imp.specifier);
      if (!target) continue;
      if (imp.reexports[name])
        return imp.reexports[name] === '*'
          ? { file: target, local: '*' }
          : this.findExport(target, imp.reexports[name], hops + 1);
      if (imp.reexports['*']) {
        const found = this.findExport(target, name, hops + 1);
        if (found) return found;
      }
    }
    return undefined;
  }

  /** A name used in `file`: a local declaration or an import followed to its definition. */
  findBinding(file: string, name: string): Definition | undefined {
    const binding = this.facts.get(file)?.bindings[name];
    if (!binding) return { file, local: name };
    const target = this.internalTarget(file, binding.specifier);
    if (!target) return undefined;
    return this.findExport(target, binding.imported) ?? { file: target, local: binding.imported };
  }

  resolveTable(file: string, ref: TableRef, hops = 0): string | undefined {
    const facts = this.facts.get(file);
    if (!facts || hops > MAX_HOPS) return undefined;
    switch (ref.kind) {
      case 'literal':
        return ref.value;
      case 'unknown':
        return undefined;
      case 'this-field': {
        const owner = facts.classes.find((c) => c.name === ref.className);
        const value =
          owner?.stringFields[ref.name] ?? facts.constants[`${ref.className}.${ref.name}`];
        const identifier = owner?.fieldIdentifiers[ref.name];
        return (
          value ??
          (identifier
            ? this.resolveTable(file, { kind: 'identifier', name: identifier }, hops + 1)
            : undefined)
        );
      }
      case 'identifier': {
        if (ref.name in facts.constants) return facts.constants[ref.name];
        const def = this.findBinding(file, ref.name);
        if (!def || def.file === file) return undefined;
        return this.resolveTable(def.file, { kind: 'identifier', name: def.local }, hops + 1);
      }
      case 'member': {
        const key = `${ref.object}.${ref.name}`;
        if (key in facts.constants) return facts.constants[key];
        // `ns.TABLES.orders`: resolve the head binding, keep the rest of the path.
        const [head, ...rest] = ref.object.split('.');
        const def = this.findBinding(file, head);
        if (!def || def.file === file) return undefined;
        if (def.local === '*') {
          if (rest.length > 0)
            return this.resolveTable(
              def.file,
              { kind: 'member', object: rest.join('.'), name: ref.name },
              hops + 1,
            );
          const inner = this.findExport(def.file, ref.name);
          return inner
            ? this.resolveTable(inner.file, { kind: 'identifier', name: inner.local }, hops + 1)
            : undefined;
        }
        return this.resolveTable(
          def.file,
          { kind: 'member', object: [def.local, ...rest].join('.'), name: ref.name },
          hops + 1,
        );
      }
    }
  }

  private classDefinition(file: string, typeName: string): Definition | undefined {
    const name = typeName.split('<')[0];
    if (this.facts.get(file)?.classes.some((c) => c.name === name)) return { file, local: name };
    const def = this.findBinding(file, name);
    return def && this.facts.get(def.file)?.classes.some((c) => c.name === def.local)
      ? def
      : undefined;
  }

  private functionKey(file: string, id: string): string | undefined {
    return this.functionsByFile.get(file)?.has(id) ? `${file}#${id}` : undefined;
  }

  private methodKey(
    file: string,
    typeName: string | undefined,
    method: string,
  ): string | undefined {
    if (!typeName) return undefined;
    const cls = this.classDefinition(file, typeName);
    return cls ? this.functionKey(cls.file, `${cls.local}.${method}`) : undefined;
  }

  /** Resolves a call site to a function key `file#id`, or undefined (library calls, dynamic dispatch). */
  resolveCallee(file: string, caller: FunctionFact, callee: CalleeRef): string | undefined {
    const facts = this.facts.get(file);
    if (!facts) return undefined;
    const moduleTypes = this.functionsByFile.get(file)?.get('<module>')?.variableTypes ?? {};
    switch (callee.kind) {
      case 'identifier': {
        const local = this.functionKey(file, callee.name);
        if (local && !facts.bindings[callee.name]) return local;
        const def = this.findBinding(file, callee.name);
        return def ? this.functionKey(def.file, def.local) : undefined;
      }
      case 'this-method':
        return this.functionKey(file, `${callee.className}.${callee.name}`);
      case 'this-field-method': {
        const owner = facts.classes.find((c) => c.name === callee.className);
        return this.methodKey(file, owner?.fieldTypes[callee.field], callee.name);
      }
      case 'new-method':
        return this.methodKey(file, callee.className, callee.name);
      case 'variable-method': {
        const type = caller.variableTypes[callee.variable] ?? moduleTypes[callee.variable];
        if (type) return this.methodKey(file, type, callee.name);
        const local = this.functionKey(file, `${callee.variable}.${callee.name}`);
        if (local) return local;
        const def = this.findBinding(file, callee.variable);
        if (!def || def.file === file) return undefined;
        if (def.local === '*') {
          const inner = this.findExport(def.file, callee.name);
          return inner ? this.functionKey(inner.file, inner.local) : undefined;
        }
        return this.functionKey(def.file, `${def.local}.${callee.name}`);
      }
    }
  }
}
