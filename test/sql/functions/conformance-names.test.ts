// Every function that ksqlDB's functional test cases call must be known: a scalar or table function here,
// an aggregate (functions/aggregate, another part), or one of the UDFs that ksqlDB's test jar adds.
import { beforeEach, describe, expect, it } from 'vitest';
import { createBuiltinRegistry, createTableFunctionRegistry } from '../../../src/sql/functions/index.js';
import { parseStatements } from '../../../src/sql/parser/index.js';
import { conformanceDir, loadConformanceCases } from '../parser/conformance-cases.js';

const AGGREGATES = [
  'ATTR',
  'AVG',
  'COLLECT_LIST',
  'COLLECT_SET',
  'CORRELATION',
  'COUNT',
  'COUNT_DISTINCT',
  'EARLIEST_BY_OFFSET',
  'HISTOGRAM',
  'LATEST_BY_OFFSET',
  'MAX',
  'MIN',
  'STDDEV_SAMP',
  'STDDEV_SAMPLE',
  'SUM',
  'SUM_LIST',
  'TOPK',
  'TOPKDISTINCT',
];

/** UDFs that ksqlDB's test jar (not the product) adds for its cases. */
const TEST_JAR = [
  'BAD_UDF',
  'FIVE_ARG',
  'GENERIC_VAR_ARG',
  'MD5',
  'MID_VAR_ARG',
  'MULTI_ARG',
  'OBJ_COL_ARG',
  'TEST_UDAF',
  'TEST_UDF',
  'TEST_UDTF',
  'VAR_ARG',
  'WHENCONDITION',
  'WHENRESULT',
];

const dir = conformanceDir();
const skipReason = 'no ksqlDB conformance cases at ../shared/ksql-conformance beside the checkout';
if (dir === undefined) console.log(`function name conformance skipped: ${skipReason}`);

/** The names of every FunctionCall node under an AST value. */
function functionNames(node: unknown, out: Set<string>): void {
  if (Array.isArray(node)) for (const item of node) functionNames(item, out);
  else if (typeof node === 'object' && node !== null) {
    const record = node as Record<string, unknown>;
    if (record.kind === 'FunctionCall') {
      const name = record.name as { value?: string } | undefined;
      if (typeof name?.value === 'string') out.add(name.value.toUpperCase());
    }
    for (const value of Object.values(record)) functionNames(value, out);
  }
}

describe('function names in ksqlDB conformance cases', () => {
  beforeEach((context) => context.skip(dir === undefined, skipReason));

  it('are all known', () => {
    const names = new Set<string>();
    for (const testCase of loadConformanceCases(dir ?? '').filter((c) => c.expectedError === undefined)) {
      for (const statement of testCase.variants[0] ?? []) {
        try {
          functionNames(parseStatements(statement), names);
        } catch {
          // The parser's own conformance test reports statements it cannot parse.
        }
      }
    }
    const scalar = createBuiltinRegistry();
    const table = createTableFunctionRegistry();
    const unknown = [...names]
      .filter(
        (n) =>
          scalar.get(n) === undefined &&
          table.get(n) === undefined &&
          !AGGREGATES.includes(n) &&
          !TEST_JAR.includes(n),
      )
      .sort();
    expect(unknown).toEqual([]);
  });
});
