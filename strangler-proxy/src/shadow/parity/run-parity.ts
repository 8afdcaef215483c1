import fs from 'node:fs';
import path from 'node:path';
import { EXIT } from '../../../../common/src/cli';
import { readInteger } from '../../../../common/src/cli-options';
import { createProgress } from '../../../../common/src/progress';
import { ShadowError } from '../errors';
import { createHttpSender } from '../http-sender';
import { buildParityReport, formatParitySummary } from './parity-report';
import { readRequestLog } from './request-log';
import { replayRequests } from './replay';
import { loadCompareRules } from './rules-file';

export interface ParityOptions {
  a: string;
  b: string;
  requests: string;
  compare?: string;
  concurrency?: string | number;
  report?: string;
  examples?: string | number;
  timeout?: string | number;
  learnNoise?: boolean;
  includeWrites?: boolean;
  /** Show a progress bar on stderr (default: when stderr is a terminal). */
  progress?: boolean;
}

export interface ParityIo {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
}

/**
 * `strangler parity`: replays a request log against A and B and compares every answer.
 * Returns 0 when all match, 1 on any difference or failed request, 2 on bad input.
 *
 * @example await runParity({ a: 'http://127.0.0.1:3000', b: 'http://127.0.0.1:4001', requests: 'requests.jsonl' });
 */
export async function runParity(options: ParityOptions, io: ParityIo = process): Promise<number> {
  try {
    const a = parseOrigin('--a', options.a);
    const b = parseOrigin('--b', options.b);
    const concurrency = parseCount('--concurrency', options.concurrency ?? 8, 1, 256);
    const examples = parseCount('--examples', options.examples ?? 5, 0, 1000);
    const timeoutMs = parseCount('--timeout', options.timeout ?? 30_000, 1, 3_600_000);
    const rules = loadCompareRules(options.compare);
    const requests = readRequestLog(options.requests);
    const progress =
      (options.progress ?? Boolean(process.stderr.isTTY))
        ? createProgress('parity', requests.length)
        : undefined;
    const replay = await replayRequests({
      requests,
      rules,
      concurrency,
      timeoutMs,
      learnNoise: options.learnNoise,
      includeWrites: options.includeWrites,
      sendA: createHttpSender(a),
      sendB: createHttpSender(b),
      onProgress: progress?.tick,
    });
    progress?.finish();
    const report = buildParityReport(replay, a, b);
    if (options.report) writeReport(options.report, report);
    io.stdout.write(formatParitySummary(report, examples));
    return report.mismatches.length === 0 ? EXIT.ok : EXIT.findings;
  } catch (error) {
    if (!(error instanceof ShadowError)) throw error;
    io.stderr.write(`error: ${error.message}\n`);
    return EXIT.usage;
  }
}

function parseOrigin(flag: string, value: string | undefined): string {
  let url: URL | undefined;
  try {
    url = value ? new URL(value) : undefined;
  } catch {
    url = undefined;
  }
  if (
    !url ||
    !['http:', 'https:'].includes(url.protocol) ||
    url.username ||
    url.search ||
    (url.pathname !== '/' && url.pathname !== '')
  ) {
    throw new ShadowError(
      'ERR_PARITY_BAD_URL',
      `${flag} must be an http(s) origin without path or credentials, e.g. ${flag} http://127.0.0.1:3000 (got "${value ?? ''}")`,
    );
  }
  return url.origin;
}

function parseCount(flag: string, value: string | number, min: number, max: number): number {
  try {
    return readInteger(value, { flag, min, max, example: `${flag} ${min + 1}` });
  } catch (error) {
    throw new ShadowError('ERR_PARITY_BAD_OPTION', (error as Error).message);
  }
}

function writeReport(file: string, report: unknown): void {
  try {
    fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    fs.writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
  } catch (error) {
    throw new ShadowError(
      'ERR_PARITY_BAD_OPTION',
      `--report ${file}: cannot write the report (${(error as Error).message})`,
    );
  }
}
