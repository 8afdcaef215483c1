import { EventEmitter } from 'node:events';
import fs from 'node:fs';
import path from 'node:path';
import picomatch from 'picomatch';
import { EXIT } from '../../common/src/cli';
import { compareWithBaseline, readBaseline, writeBaseline } from './analyse/baseline';
import { analyseModel } from './analyse/analyse-model';
import { restrictToSchema } from './analyse/restrict-to-schema';
import { loadConfig } from './config';
import { createContextResolver } from './contexts';
import { emptyCache, hashText, loadCache, saveCache } from './extract/cache';
import { discoverFiles } from './extract/discover-files';
import { extractFiles, readOutsideFiles } from './extract/extract-files';
import { EXTRACTOR_VERSION } from './extract/extractor-version';
import { linkModel } from './extract/link-model';
import { configureCompilerCache, saveCompilerCache } from './extract/load-compiler';
import { createModuleResolver, findTsconfig } from './extract/resolve-modules';
import { validateOptions, type SeamsOptionsInput } from './options';
import { REPORT_VERSION, type SeamsReport } from './seams-report';

/**
 * Runs the whole pipeline: validate options → extract (imports, table access,
 * schema) → analyse (ownership, foreign keys, metrics, ranking) → a report
 * object that the reporters render. Progress goes to `events`
 * ('phase' {name}, 'progress' {phase, done, total}).
 *
 * @example const report = await analyseSeams({ root: 'legacy-monolith/src', db: 'data/monolith.sqlite' })
 */
export async function analyseSeams(
  input: SeamsOptionsInput,
  events: EventEmitter = new EventEmitter(),
): Promise<SeamsReport> {
  const started = Date.now();
  const options = validateOptions(input);
  const config = loadConfig(options.config);
  const configDir = options.config ? path.dirname(options.config) : process.cwd();

  events.emit('phase', { name: 'discover' });
  configureCompilerCache(options.cache ? options.cacheDir : undefined);
  const files = discoverFiles(options.root, config.exclude);
  const cache = options.cache
    ? loadCache(options.cacheDir, options.root, EXTRACTOR_VERSION)
    : emptyCache();
  events.emit('phase', { name: 'extract', files: files.length });
  const extracted = await extractFiles(options.root, files, cache, events);

  const tsconfig = findTsconfig(
    options.root,
    options.tsconfig ?? (config.tsconfig ? path.resolve(configDir, config.tsconfig) : undefined),
  );
  const validity = hashText(
    `${files.join('\n')}\0${tsconfig ?? ''}\0${tsconfig && fs.existsSync(tsconfig) ? fs.readFileSync(tsconfig, 'utf8') : ''}`,
  );
  const known = cache.resolutions.validity === validity ? cache.resolutions.entries : {};
  const resolver = createModuleResolver(options.root, tsconfig, known);
  events.emit('phase', { name: 'link' });
  const outside = readOutsideFiles(options.root, cache);
  const isTestDouble =
    config.testDoubles.length > 0 ? picomatch([...config.testDoubles], { dot: true }) : undefined;
  const linked = linkModel({
    root: options.root,
    facts: extracted.facts,
    resolver,
    contextOf: createContextResolver(config.contexts),
    maxDepth: options.maxDepth,
    stats: { parsed: extracted.parsed, reused: extracted.reused },
    loadOutside: outside.load,
    isTestDouble,
    transactionWrappers: config.transactionWrappers,
  });
  const resolutions = resolver.entries();
  // Nothing parsed, same file list, no new resolution: the cache on disk is already right.
  const unchanged =
    extracted.parsed === 0 &&
    !outside.changed() &&
    extracted.refreshed === 0 &&
    cache.resolutions.validity === validity &&
    Object.keys(resolutions).every((key) => key in known);
  if (options.cache && !unchanged) {
    cache.resolutions = { validity, entries: resolutions };
    saveCache(options.cacheDir, options.root, EXTRACTOR_VERSION, cache);
    saveCompilerCache();
  }

  events.emit('phase', { name: 'schema' });
  // Required on demand: the database drivers (knex, pg) cost more to load than a cached run of a large tree.
  const readers = options.db
    ? (require('./schema/read-schema') as typeof import('./schema/read-schema'))
    : undefined;
  const schema = options.db && readers ? await readers.readSchema(options.db) : undefined;
  const model = schema ? restrictToSchema(linked, schema) : linked;
  const schemaspy =
    options.schemaspy && options.db
      ? (require('./schema/run-schemaspy') as typeof import('./schema/run-schemaspy')).runSchemaSpy(
          options.db,
          options.out ?? path.resolve('reports'),
        )
      : undefined;

  events.emit('phase', { name: 'analyse' });
  const analysis = analyseModel(model, schema, config);
  let baseline: SeamsReport['baseline'];
  let ruleViolations = analysis.ruleViolations;
  if (options.baseline && options.updateBaseline) {
    const known = writeBaseline(options.baseline, analysis.findings, analysis.ruleViolations);
    baseline = {
      file: options.baseline,
      known,
      updated: true,
      newFindings: [],
      knownViolations: 0,
    };
  } else if (options.baseline) {
    const known = readBaseline(options.baseline);
    const result = compareWithBaseline(
      options.baseline,
      known,
      analysis.findings,
      analysis.ruleViolations,
    );
    baseline = { ...result, updated: false };
    // Violations recorded in the baseline are known: only new ones are reported and fail the run.
    ruleViolations = analysis.ruleViolations.filter((v) => !known.violations.has(v.key));
  }
  const failOn =
    options.failOn ?? (options.baseline && !options.updateBaseline ? 'new' : undefined);
  const failed =
    ruleViolations.length > 0 ||
    (failOn === 'new' &&
      (baseline ? baseline.newFindings.length > 0 : analysis.findings.length > 0)) ||
    (failOn === 'any' && analysis.findings.length > 0);

  return {
    version: REPORT_VERSION,
    tool: 'strangler seams',
    generatedAt: new Date().toISOString(),
    root: options.root,
    summary: {
      files: model.stats.files,
      parsed: model.stats.parsed,
      reused: model.stats.reused,
      contexts: model.contexts.length,
      tables: analysis.ownership.length,
      crossContextImports: analysis.crossContextImports,
      testDoubleImports: model.imports.filter((e) => e.testDouble).length,
      findings: analysis.findings.length,
      ruleViolations: ruleViolations.length,
      durationMs: Date.now() - started,
    },
    contexts: analysis.metrics,
    contextGraph: analysis.contextGraph,
    cycles: analysis.cycles,
    cycleBreaks: analysis.cycleBreaks,
    dependencyMatrix: analysis.dependencyMatrix,
    tables: analysis.ownership,
    foreignKeys: analysis.foreignKeys,
    tableAccess: model.accesses,
    transactions: model.transactions,
    findings: analysis.findings,
    ranking: analysis.ranking,
    ruleViolations,
    ...(baseline ? { baseline } : {}),
    ...(schema
      ? { schema: { engine: schema.engine, source: schema.source, tables: schema.tables } }
      : {}),
    ...(schemaspy ? { schemaspy } : {}),
    confidence: model.confidence,
    exitCode: failed ? EXIT.findings : EXIT.ok,
  };
}
