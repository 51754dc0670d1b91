// Table functions in a SELECT, against ksqlDB's table-functions, explode and cube cases: the output schema
// (KSQL_COL_n for an unaliased call), the zipped rows, and ksqlDB's refusals.
import { describe, expect, it } from 'vitest';
import { createBuiltinRegistry } from '../../../src/sql/functions/index.js';
import { parseStatements, type Query } from '../../../src/sql/parser/index.js';
// Registers the aggregation planner, for the GROUP BY refusal.
import '../../../src/sql/planner/aggregation.js';
import type { DataSource } from '../../../src/sql/planner/data-source.js';
import { planQuery, type QueryPlan } from '../../../src/sql/planner/index.js';
import type { Column, LogicalSchema } from '../../../src/sql/planner/schema.js';
import type { OperatorFactory } from '../../../src/sql/runtime/operator.js';
import type { SqlRecord } from '../../../src/sql/runtime/records.js';
import { formatType, SqlTypes, type SqlType } from '../../../src/sql/types/index.js';
import { harness, record } from '../aggregate/harness.js';

function dataSource(kind: 'STREAM' | 'TABLE', key: [string, SqlType][], value: [string, SqlType][]) {
  const columns = (list: [string, SqlType][], namespace: 'KEY' | 'VALUE'): Column[] =>
    list.map(([name, type]) => ({ name, type, namespace }));
  const schema: LogicalSchema = { key: columns(key, 'KEY'), value: columns(value, 'VALUE') };
  return {
    name: 'TEST',
    kind,
    schema,
    topic: 'test_topic',
    keyFormat: 'KAFKA',
    valueFormat: 'JSON',
  } as DataSource;
}

const ARR = SqlTypes.array(SqlTypes.BIGINT);
const stream = dataSource(
  'STREAM',
  [['K', SqlTypes.STRING]],
  [
    ['ID', SqlTypes.BIGINT],
    ['MY_ARR', ARR],
    ['OTHER', ARR],
  ],
);
const table = dataSource('TABLE', [['K', SqlTypes.STRING]], [['MY_ARR', ARR]]);

function query(sql: string): Query {
  const [statement] = parseStatements(sql);
  if (statement?.kind !== 'CreateAsSelect') throw new Error('not a CREATE ... AS SELECT');
  return statement.query;
}

const plan = (sql: string): QueryPlan =>
  planQuery(
    query(sql),
    { source: (name) => (name === 'TEST' ? stream : name === 'T' ? table : undefined) },
    {
      type: 'PERSISTENT',
      functions: createBuiltinRegistry(),
      sink: { kind: 'CREATE', sourceType: 'STREAM', name: 'OUTPUT' },
    },
  );

const schemaText = (schema: LogicalSchema) =>
  [
    ...schema.key.map((c) => `${c.name} ${formatType(c.type)} KEY`),
    ...schema.value.map((c) => `${c.name} ${formatType(c.type)}`),
  ].join(', ');

function run(operators: readonly OperatorFactory[], input: SqlRecord): SqlRecord[] {
  const composed: OperatorFactory = (downstream, context) => {
    let emit = downstream;
    for (const factory of [...operators].reverse()) {
      const operator = factory(emit, context);
      emit = (r) => operator.process(r);
    }
    return { process: emit };
  };
  const h = harness(composed);
  h.send(input);
  return h.output;
}

describe('table functions in a SELECT', () => {
  it('add one row per element, naming an unaliased call KSQL_COL_n (explode: no aliases)', () => {
    const planned = plan('CREATE STREAM OUTPUT AS SELECT K, ABS(ID), EXPLODE(MY_ARR), ID AS ID2 FROM TEST;');
    expect(schemaText(planned.schema)).toBe('K STRING KEY, KSQL_COL_0 BIGINT, KSQL_COL_1 BIGINT, ID2 BIGINT');
    const rows = run(planned.root.operators, record(['a'], [-7n, [1n, 2n], null]));
    expect(rows.map((r) => r.value)).toEqual([
      [7n, 1n, -7n],
      [7n, 2n, -7n],
    ]);
  });

  it('zip several calls, padding the shorter outputs with NULL', () => {
    const planned = plan('CREATE STREAM OUTPUT AS SELECT K, EXPLODE(MY_ARR) A, EXPLODE(OTHER) B FROM TEST;');
    const rows = run(planned.root.operators, record(['a'], [0n, [1n, 2n, 3n], [9n]]));
    expect(rows.map((r) => r.value)).toEqual([
      [1n, 9n],
      [2n, null],
      [3n, null],
    ]);
    expect(run(planned.root.operators, record(['a'], [0n, null, []]))).toEqual([]);
  });

  it('leave their outputs out of *', () => {
    const planned = plan('CREATE STREAM OUTPUT AS SELECT *, CUBE_EXPLODE(MY_ARR) C FROM TEST;');
    expect(schemaText(planned.schema)).toBe(
      'K STRING KEY, ID BIGINT, MY_ARR ARRAY<BIGINT>, OTHER ARRAY<BIGINT>, C ARRAY<BIGINT>',
    );
  });

  it.each([
    [
      'CREATE TABLE OUTPUT AS SELECT K, EXPLODE(MY_ARR) V FROM T;',
      'Table source is not supported with table functions',
    ],
    [
      'CREATE STREAM OUTPUT AS SELECT K, EXPLODE(CUBE_EXPLODE(MY_ARR)) V FROM TEST;',
      'Table functions cannot be nested: EXPLODE(CUBE_EXPLODE())',
    ],
    [
      'CREATE STREAM OUTPUT AS SELECT K, CASE WHEN ID > 0 THEN EXPLODE(MY_ARR) END V FROM TEST;',
      'Table functions cannot be used in CASE',
    ],
    [
      'CREATE TABLE OUTPUT AS SELECT ID, EXPLODE(MY_ARR), COUNT(*) FROM TEST GROUP BY ID;',
      'Table functions cannot be used with aggregations.',
    ],
  ])('refuse %s', (sql, message) => {
    expect(() => plan(sql)).toThrow(message);
  });
});
