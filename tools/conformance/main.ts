// npm run conformance -- [--cases DIR] [--filter PATTERN] [--case PATTERN] [--verbose] [--strict]
//                        [--timeout MS] [--write-docs [FILE]]
// Prints a pass count per file and a total. Exits non-zero on runner errors, and on failing cases only
// with --strict.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { Command } from 'commander';
import prettier from 'prettier';
import { CaseFormatError } from './cases.js';
import { conformanceMarkdown, fileLine, rankedCauses, totalLine, totals } from './report.js';
import { runConformance } from './runner.js';

const DEFAULT_CASES = path.join('..', 'shared', 'ksql-conformance');

interface CliOptions {
  cases: string;
  filter?: string;
  case?: string;
  verbose?: boolean;
  strict?: boolean;
  timeout: string;
  jobs: string;
  writeDocs?: string | boolean;
}

function currentCommit(): string {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
  } catch {
    return 'unknown';
  }
}

async function main(): Promise<number> {
  const options = new Command('conformance')
    .description("Runs ksqlDB's functional test cases against Venice's SQL engine")
    .option('--cases <dir>', 'directory of case files (qtt/ and rest/ inside are read too)', DEFAULT_CASES)
    .option('--filter <pattern>', 'only files whose name matches this regular expression')
    .option('--case <pattern>', 'only cases whose name matches this regular expression')
    .option('--verbose', 'print each failing case with its first difference')
    .option('--strict', 'exit non-zero when a case fails')
    .option('--timeout <ms>', 'per-case timeout', '10000')
    .option('--jobs <n>', 'files run in parallel, each worker with its own broker and registry', '2')
    .option('--write-docs [file]', 'write the results table (default docs/conformance.md)')
    .parse()
    .opts<CliOptions>();
  if (!fs.existsSync(options.cases)) {
    console.error(`no case files at ${options.cases}: give --cases DIR (ksqlDB's qtt/rest JSON files)`);
    return 2;
  }
  const verbose = options.verbose === true;
  const results = await runConformance({
    casesDir: options.cases,
    filter: options.filter ? new RegExp(options.filter) : undefined,
    caseFilter: options.case ? new RegExp(options.case) : undefined,
    timeoutMs: Number(options.timeout),
    jobs: Number(options.jobs),
    onCase: (file, name, result) => {
      if (verbose && result.status === 'fail') {
        console.log(
          `  FAIL ${file.file} / ${name} (${result.ms} ms): ${result.cause}\n       ${result.detail ?? ''}`,
        );
      }
    },
    onFile: (file) => console.log(fileLine(file)),
  });
  console.log(totalLine(results));
  const causes = rankedCauses(results);
  if (causes.length > 0) {
    console.log('main failure causes:');
    for (const [cause, count] of causes.slice(0, 15)) console.log(`  ${String(count).padStart(5)}  ${cause}`);
  }
  if (options.writeDocs !== undefined && options.writeDocs !== false) {
    const target =
      typeof options.writeDocs === 'string' ? options.writeDocs : path.join('docs', 'conformance.md');
    const markdown = conformanceMarkdown(results, new Date().toISOString(), currentCommit());
    // Formatted as the repository's prettier settings want, so `npm run lint` accepts the file as written.
    const settings = (await prettier.resolveConfig(target)) ?? {};
    fs.writeFileSync(target, await prettier.format(markdown, { ...settings, filepath: target }));
    console.log(`wrote ${target}`);
  }
  const { cases, passed } = totals(results);
  return options.strict && passed < cases ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    const prefix = error instanceof CaseFormatError ? 'bad case file' : 'runner error';
    console.error(`${prefix}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    process.exit(2);
  },
);
