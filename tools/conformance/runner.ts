// Runs every case of a directory of ksqlDB test files against the engine and gathers per-file results.
import path from 'node:path';
import { createLogger, silentLogger, type Logger } from '../../src/service/index.js';
import { findCaseFiles, loadCaseFile, type CaseFile } from './cases.js';
import { startHarness, type Harness } from './harness.js';
import type { FileResult } from './report.js';
import { runCase, type CaseResult, type EngineFactory } from './run-case.js';

export interface RunOptions {
  readonly casesDir: string;
  /** Only files whose name (without .json) matches, e.g. `project-filter` or `^(sum|count)$`. */
  readonly filter?: RegExp;
  /** Only cases whose name matches. */
  readonly caseFilter?: RegExp;
  readonly timeoutMs: number;
  /** Files run this many at a time, each worker with its own broker and registry (default 1). */
  readonly jobs?: number;
  /** Called after each case, for progress output. */
  readonly onCase?: (file: CaseFile, name: string, result: CaseResult) => void;
  readonly onFile?: (result: FileResult) => void;
  /** Overrides the engine (tests); by default src/sql/engine/index.ts's createSqlEngine if it exists. */
  readonly createEngine?: EngineFactory | null;
}

/** The engine's factory, or undefined while src/sql/engine/index.ts does not exist yet. */
export async function loadEngineFactory(): Promise<EngineFactory | undefined> {
  // A computed specifier: the module may not exist in this build, and that must not break type checking.
  const specifier = ['..', '..', 'src', 'sql', 'engine', 'index.js'].join('/');
  try {
    const loaded = (await import(specifier)) as { createSqlEngine?: EngineFactory };
    return typeof loaded.createSqlEngine === 'function' ? loaded.createSqlEngine : undefined;
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') return undefined;
    throw error;
  }
}

function labelOf(casesDir: string, filePath: string): string {
  const relative = path.relative(casesDir, filePath).replace(/\\/g, '/');
  return relative.replace(/\.json$/, '');
}

export async function runConformance(options: RunOptions): Promise<FileResult[]> {
  const paths = findCaseFiles(options.casesDir).filter(
    (file) => !options.filter || options.filter.test(path.basename(file, '.json')),
  );
  const files = paths.map(loadCaseFile);
  const createEngine =
    options.createEngine === null ? undefined : (options.createEngine ?? (await loadEngineFactory()));
  const results: FileResult[] = new Array<FileResult>(files.length);
  let next = 0;
  // Each worker has its own broker and registry, so cases of different workers never share topic names.
  const worker = async (): Promise<void> => {
    const harness = createEngine && next < files.length ? await startHarness() : undefined;
    try {
      while (next < files.length) {
        const index = next++;
        results[index] = await runFile(files[index], harness, createEngine, options);
        options.onFile?.(results[index]);
      }
    } finally {
      await harness?.stop();
    }
  };
  const jobs = Math.max(1, Math.min(options.jobs ?? 1, files.length || 1));
  await Promise.all(Array.from({ length: jobs }, worker));
  return results;
}

async function runFile(
  file: CaseFile,
  harness: Harness | undefined,
  createEngine: EngineFactory | undefined,
  options: RunOptions,
): Promise<FileResult> {
  const cases: FileResult['cases'] = [];
  for (const testCase of file.cases) {
    if (options.caseFilter && !options.caseFilter.test(testCase.name)) continue;
    const result = await runCase(testCase, {
      kafka: harness?.kafka as Harness['kafka'],
      bootstrap: harness?.bootstrap ?? '',
      registry: harness?.registry as Harness['registry'],
      createEngine,
      timeoutMs: options.timeoutMs,
      logger: engineLogger(),
    });
    if (harness) await harness.cleanSlate();
    cases.push({ name: testCase.name, result });
    options.onCase?.(file, testCase.name, result);
  }
  return { label: labelOf(options.casesDir, file.path), file: file.file, cases, disabled: file.disabled };
}

/** The engines' logger: silent, unless VENICE_CONFORMANCE_LOG names a level (to see processing-log entries). */
function engineLogger(): Logger {
  const level = process.env.VENICE_CONFORMANCE_LOG;
  if (level === undefined || level === '') return silentLogger();
  const levels = ['trace', 'debug', 'info', 'warn', 'error', 'fatal'] as const;
  const known = levels.find((name) => name === level);
  if (known === undefined)
    throw new Error(`VENICE_CONFORMANCE_LOG=${level}: give one of ${levels.join(', ')}`);
  return createLogger({ name: 'sql', level: known, destination: process.stderr });
}
