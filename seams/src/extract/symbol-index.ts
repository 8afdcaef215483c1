import type { CalleeRef, ClassFact, FileFacts, FunctionFact, TableRef } from './facts';
import type { ModuleResolver } from './resolve-modules';

export interface Definition {
  file: string;
  /** The name inside `file` ('*' for the module namespace itself). */
  local: string;
}

/** A table name, or why it could not be found (said in the confidence list). */
export type TableResolution = { table: string } | { reason: string };

/** A class and the file it is declared in. */
export interface ClassRef {
  file: string;
  fact: ClassFact;
}

const MAX_HOPS = 12;

/** `T.ROLES` → a member reference, `TABLE` → an identifier. */
function refFromDotted(name: string): TableRef {
  const dot = name.lastIndexOf('.');
  return dot === -1
    ? { kind: 'identifier', name }
    : { kind: 'member', object: name.slice(0, dot), name: name.slice(dot + 1) };
}

/**
 * Answers "where is this name really defined?" across files without a type
 * checker: follows import bindings and re-exports (barrels, `export *`), class
 * inheritance, and imports out of the root into source files next to it
 * (workspace packages), which are read for their constants only.
 */
export class SymbolIndex {
  private readonly functionsByFile = new Map<string, Map<string, FunctionFact>>();
  private readonly synthetic = new Set<string>();
  private subclasses: Map<string, ClassRef[]> | undefined;
  private readonly classes = new Map<string, ClassRef | undefined>();
  private readonly ancestries = new WeakMap<ClassRef, ClassRef[]>();

  constructor(
    private readonly facts: ReadonlyMap<string, FileFacts>,
    private readonly resolver: ModuleResolver,
    private readonly loadOutside: (file: string) => FileFacts | undefined = () => undefined,
  ) {
    for (const [file, fileFacts] of facts)
      this.functionsByFile.set(file, new Map(fileFacts.functions.map((fn) => [fn.id, fn])));
  }

  private factsOf(file: string): FileFacts | undefined {
    return this.facts.get(file) ?? (file.startsWith('..') ? this.loadOutside(file) : undefined);
  }

  /** The analysed file (or readable source file next to the root) an import leads to. */
  internalTarget(file: string, specifier: string): string | undefined {
    const resolution = this.resolver.resolve(file, specifier);
    if (resolution.kind === 'internal' && this.facts.has(resolution.file)) return resolution.file;
    if (resolution.kind === 'outside' && this.loadOutside(resolution.file)) return resolution.file;
    return undefined;
  }

  /** Follows an exported name through barrels to the file that defines it. */
  findExport(file: string, name: string, hops = 0): Definition | undefined {
    const facts = this.factsOf(file);
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
    const binding = this.factsOf(file)?.bindings[name];
    if (!binding) return { file, local: name };
    const target = this.internalTarget(file, binding.specifier);
    if (!target) return undefined;
    return this.findExport(target, binding.imported) ?? { file: target, local: binding.imported };
  }

  /** Why an imported name could not be followed: a package, a declaration file, an unresolvable path. */
  private importReason(file: string, name: string): string {
    const binding = this.factsOf(file)?.bindings[name];
    if (!binding) return `${name} is not a string constant (a parameter, or computed at run time)`;
    const resolution = this.resolver.resolve(file, binding.specifier);
    switch (resolution.kind) {
      case 'external':
        return resolution.file && /\.d\.[cm]?ts$/.test(resolution.file)
          ? `${name} is imported from '${binding.specifier}', which resolves to the declaration file ${resolution.file} (no values): map it to its source with tsconfig "paths"`
          : `${name} is imported from the package '${binding.specifier}', which is not read: map it to its source with tsconfig "paths" to follow it`;
      case 'unresolved':
        return `${name} is imported from '${binding.specifier}', which cannot be resolved`;
      default:
        return `${name} is not exported as a string constant by '${binding.specifier}'`;
    }
  }

  resolveTable(file: string, ref: TableRef, hops = 0): TableResolution {
    const facts = this.factsOf(file);
    if (!facts || hops > MAX_HOPS)
      return { reason: `the definition chain is too long or leaves the analysed files` };
    switch (ref.kind) {
      case 'literal':
        return { table: ref.value };
      case 'unknown':
        return { reason: 'it is built at run time' };
      case 'this-field': {
        const own = this.classAt(file, ref.className);
        if (!own) return { reason: `this.${ref.name} is used outside a class` };
        return this.resolveThisField(this.ancestry(own), ref.name, hops + 1);
      }
      case 'identifier': {
        if (ref.name in facts.constants) return { table: facts.constants[ref.name] };
        const renamed = facts.aliases?.[ref.name];
        if (renamed) return this.resolveTable(file, refFromDotted(renamed), hops + 1);
        const def = this.findBinding(file, ref.name);
        if (!def || def.file === file) return { reason: this.importReason(file, ref.name) };
        return this.resolveTable(def.file, { kind: 'identifier', name: def.local }, hops + 1);
      }
      case 'member': {
        const key = `${ref.object}.${ref.name}`;
        if (key in facts.constants) return { table: facts.constants[key] };
        const renamed = facts.aliases?.[key];
        if (renamed) return this.resolveTable(file, refFromDotted(renamed), hops + 1);
        // `ns.TABLES.orders`: resolve the head binding, keep the rest of the path.
        const [head, ...rest] = ref.object.split('.');
        const headAlias = facts.aliases?.[head];
        if (headAlias && !facts.bindings[head])
          return this.resolveTable(
            file,
            { kind: 'member', object: [headAlias, ...rest].join('.'), name: ref.name },
            hops + 1,
          );
        const def = this.findBinding(file, head);
        if (!def || def.file === file)
          return {
            reason: def ? `${key} is not a string constant` : this.importReason(file, head),
          };
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
            : { reason: `${key}: '${ref.name}' is not exported by ${def.file}` };
        }
        return this.resolveTable(
          def.file,
          { kind: 'member', object: [def.local, ...rest].join('.'), name: ref.name },
          hops + 1,
        );
      }
    }
  }

  /**
   * `this.<field>` seen from a class chain (most derived first): a field or getter
   * with a constant in any of them, or a constructor parameter of an ancestor
   * followed down through the `super(…)` calls to the constant a subclass passes.
   */
  resolveThisField(chain: readonly ClassRef[], field: string, hops = 0): TableResolution {
    for (const { file, fact } of chain) {
      if (field in fact.stringFields) return { table: fact.stringFields[field] };
      const renamed = fact.fieldIdentifiers[field];
      if (renamed) return this.resolveTable(file, refFromDotted(renamed), hops + 1);
    }
    const declaring = chain.findIndex(({ fact }) => fact.ctorParamFields?.[field] !== undefined);
    if (declaring === -1)
      return {
        reason: `this.${field} is not set from a constant in ${chain.map((c) => c.fact.name).join(' or ')}`,
      };
    let index = chain[declaring].fact.ctorParamFields?.[field] as number;
    for (let d = declaring - 1; d >= 0; d -= 1) {
      const { file, fact } = chain[d];
      const arg = fact.superArgs?.[index];
      if (!arg)
        return { reason: `${fact.name} calls super() without a table name for this.${field}` };
      const passed = arg.kind === 'identifier' ? (fact.ctorParams ?? []).indexOf(arg.name) : -1;
      if (passed === -1) return this.resolveTable(file, arg, hops + 1);
      index = passed;
    }
    const owner = chain[0].fact;
    const param = owner.ctorParams?.[index] ?? field;
    const subclasses = this.subclassesOf(chain[0]).map((c) => c.fact.name);
    return {
      reason: `this.${field} is the constructor parameter '${param}' of ${owner.name}; ${subclasses.length > 0 ? `none of its subclasses (${subclasses.join(', ')}) passes a constant for it` : 'no subclass passes a constant for it'}`,
    };
  }

  /** A class by the name used in `file` (declared there or imported); the same object each time. */
  classAt(file: string, typeName: string): ClassRef | undefined {
    const id = `${file}\0${typeName}`;
    if (this.classes.has(id)) return this.classes.get(id);
    const found = this.findClass(file, typeName);
    this.classes.set(id, found);
    return found;
  }

  private findClass(file: string, typeName: string): ClassRef | undefined {
    const name = typeName.split('<')[0];
    const [head, ...rest] = name.split('.');
    const local = this.factsOf(file)?.classes.find((c) => c.name === name);
    if (local && rest.length === 0) return { file, fact: local };
    if (!this.factsOf(file)?.bindings[head]) return undefined;
    const def = this.findBinding(file, head);
    if (!def) return undefined;
    const target =
      def.local === '*' && rest.length === 1 ? this.findExport(def.file, rest[0]) : def;
    if (!target) return undefined;
    return target.file === file && rest.length === 0
      ? undefined
      : this.classAt(target.file, target.local);
  }

  /** The class and its ancestors, most derived first (bounded, so a cycle cannot loop). */
  ancestry(start: ClassRef): ClassRef[] {
    const known = this.ancestries.get(start);
    if (known) return known;
    const chain = [start];
    for (let current = start; chain.length < 8 && current.fact.extends; ) {
      const base = this.classAt(current.file, current.fact.extends);
      if (!base || chain.some((c) => c.file === base.file && c.fact.name === base.fact.name)) break;
      chain.push(base);
      current = base;
    }
    this.ancestries.set(start, chain);
    return chain;
  }

  /** Direct and indirect subclasses of a class among the analysed files. */
  subclassesOf(base: ClassRef): ClassRef[] {
    if (!this.subclasses) {
      this.subclasses = new Map();
      for (const [file, facts] of this.facts) {
        for (const fact of facts.classes) {
          if (!fact.extends) continue;
          for (const ancestor of this.ancestry({ file, fact }).slice(1)) {
            const key = `${ancestor.file}#${ancestor.fact.name}`;
            this.subclasses.set(key, [...(this.subclasses.get(key) ?? []), { file, fact }]);
          }
        }
      }
    }
    return this.subclasses.get(`${base.file}#${base.fact.name}`) ?? [];
  }

  /** Registers `Subclass.method` made for an inherited method, so calls on the subclass find it. */
  addInheritedFunction(file: string, id: string): void {
    this.synthetic.add(`${file}#${id}`);
  }

  private functionKey(file: string, id: string): string | undefined {
    const key = `${file}#${id}`;
    return this.functionsByFile.get(file)?.has(id) || this.synthetic.has(key) ? key : undefined;
  }

  private methodKey(
    file: string,
    typeName: string | undefined,
    method: string,
  ): string | undefined {
    if (!typeName) return undefined;
    const cls = this.classAt(file, typeName);
    if (!cls) return undefined;
    const own = this.functionKey(cls.file, `${cls.fact.name}.${method}`);
    if (own) return own;
    // Inherited: the nearest ancestor that defines it.
    for (const ancestor of this.ancestry(cls).slice(1)) {
      const found = this.functionKey(ancestor.file, `${ancestor.fact.name}.${method}`);
      if (found) return found;
    }
    return undefined;
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
        return this.methodKey(file, callee.className, callee.name);
      case 'this-field-method': {
        // The field may be declared by an ancestor: its type is named in that class's file.
        const own = this.classAt(file, callee.className);
        const holder = own && this.ancestry(own).find((c) => c.fact.fieldTypes[callee.field]);
        return holder
          ? this.methodKey(holder.file, holder.fact.fieldTypes[callee.field], callee.name)
          : undefined;
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
