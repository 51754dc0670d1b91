// The parser over every statement of ksqlDB's functional test cases: those of cases expected to work must
// parse (at least 95%, and the failures are listed), and cases that ksqlDB rejects with a syntax error
// must fail to parse, at the same line and column when ksqlDB's message gives one.
import { beforeEach, describe, expect, it } from 'vitest';
import { SqlParseError, parseStatements, tokenize } from '../../../src/sql/parser/index.js';
import { conformanceDir, loadConformanceCases } from './conformance-cases.js';

const dir = conformanceDir();
const skipReason =
  'no ksqlDB conformance cases at ../shared/ksql-conformance beside the checkout: the parser cannot be ' +
  'checked against them (put them there, or set KSQL_CONFORMANCE to their folder)';
if (dir === undefined) console.log(`sql parser conformance tests skipped: ${skipReason}`);
const cases = dir === undefined ? [] : loadConformanceCases(dir);

const SYNTAX_ERROR = /syntax error|mismatched input|extraneous input|no viable alternative/i;

/** The first parse error among a case's statements, parsed one by one as ksqlDB's test runner does. */
function firstParseError(statements: readonly string[]): SqlParseError | undefined {
  for (const statement of statements) {
    try {
      parseStatements(statement);
    } catch (error) {
      if (error instanceof SqlParseError) return error;
      throw error;
    }
  }
  return undefined;
}

describe('sql parser over ksqlDB conformance cases', () => {
  beforeEach((context) => context.skip(dir === undefined, skipReason));

  it('parses at least 95% of the statements of cases expected to succeed', () => {
    let parsed = 0;
    const failures: string[] = [];
    for (const testCase of cases.filter((c) => c.expectedError === undefined)) {
      const statementCount = testCase.variants[0].length;
      for (let i = 0; i < statementCount; i++) {
        const failed = testCase.variants
          .map((variant) => variant[i])
          .map((statement) => {
            try {
              parseStatements(statement);
              return undefined;
            } catch (error) {
              return `${testCase.file} "${testCase.name}": ${statement.split('\n')[0]}\n    ${String(error)}`;
            }
          })
          .find((failure) => failure !== undefined);
        if (failed === undefined) parsed++;
        else failures.push(failed);
      }
    }
    const total = parsed + failures.length;
    console.log(`sql parser conformance: ${parsed} of ${total} statements parsed`);
    if (failures.length > 0) console.log(failures.join('\n'));
    expect(total).toBeGreaterThan(3000);
    expect(parsed / total).toBeGreaterThanOrEqual(0.95);
  });

  it('rejects the cases ksqlDB rejects with a syntax error, where ksqlDB does', () => {
    const syntaxCases = cases.filter(
      (c) => c.expectedError !== undefined && SYNTAX_ERROR.test(c.expectedError),
    );
    expect(syntaxCases.length).toBeGreaterThan(10);
    const wrong: string[] = [];
    for (const testCase of syntaxCases) {
      const error = firstParseError(testCase.variants[0]);
      const where = /^line (\d+):(\d+):/.exec(testCase.expectedError ?? '');
      if (error === undefined) {
        wrong.push(`${testCase.file} "${testCase.name}": parsed, but ksqlDB says ${testCase.expectedError}`);
      } else if (where !== null && (error.line !== Number(where[1]) || error.column !== Number(where[2]))) {
        wrong.push(
          `${testCase.file} "${testCase.name}": ${error.message} (ksqlDB: ${testCase.expectedError})`,
        );
      }
    }
    console.log(
      `sql parser conformance: ${syntaxCases.length - wrong.length} of ${syntaxCases.length} syntax-error cases rejected as ksqlDB does`,
    );
    expect(wrong).toEqual([]);
  });

  it('fails every cut-short statement with a SqlParseError, never another exception', () => {
    // Each of 200 statements cut after each of its tokens: the parser must say where it stopped, not crash.
    const statements = cases.flatMap((c) => c.variants[0]).slice(0, 200);
    let attempts = 0;
    for (const statement of statements) {
      for (const token of tokenize(statement).slice(0, -1)) {
        const prefix = statement.slice(0, token.pos.offset);
        attempts++;
        try {
          parseStatements(prefix);
        } catch (error) {
          if (!(error instanceof SqlParseError))
            throw new Error(`${String(error)} for: ${prefix}`, { cause: error });
        }
      }
    }
    expect(attempts).toBeGreaterThan(1000);
  });
});
