// planAggregation against ksqlDB's group-by, having and window-bounds cases: the result's schema, the
// checks and their messages, and the planned operators run on records.
import { describe, expect, it } from 'vitest';
import { createBuiltinRegistry } from '../../../src/sql/functions/index.js';
import { parseStatements, type Query } from '../../../src/sql/parser/index.js';
import { planAggregation } from '../../../src/sql/planner/aggregation.js';
import { createExpressionCompiler, planQuery, type PlannedSource } from '../../../src/sql/planner/index.js';
import type { Column, LogicalSchema } from '../../../src/sql/planner/schema.js';
import type { OperatorContext, OperatorFactory } from '../../../src/sql/runtime/operator.js';
import type { SqlRecord } from '../../../src/sql/runtime/records.js';
import { formatType, SqlTypes, type SqlType } from '../../../src/sql/types/index.js';
import { harness, record } from './harness.js';
import { jsonSource } from '../helpers/data-source.js';

const compiler = createExpressionCompiler(createBuiltinRegistry());

function source(
  kind: 'STREAM' | 'TABLE',
  key: [string, SqlType][],
  value: [string, SqlType][],
): PlannedSource {
  const columns = (list: [string, SqlType][], namespace: 'KEY' | 'VALUE'): Column[] =>
    list.map(([name, type]) => ({ name, type, namespace }));
  const schema: LogicalSchema = { key: columns(key, 'KEY'), value: columns(value, 'VALUE') };
  const dataSource = jsonSource({
    name: 'TEST',
    topic: 'test_topic',
    kind,
    key: schema.key,
    value: schema.value,
  });
  return {
    schema,
    kind,
    input: { kind: 'Topic', source: dataSource, alias: 'TEST' },
    operators: [],
    aliases: new Map([['TEST', '']]),
  };
}

function query(select: string): Query {
  const [statement] = parseStatements(`CREATE TABLE OUTPUT AS ${select};`);
  if (statement?.kind !== 'CreateAsSelect') throw new Error('not a CTAS');
  return statement.query;
}

const schemaText = (schema: LogicalSchema) =>
  [
    ...schema.key.map((c) => `${c.name} ${formatType(c.type)} KEY`),
    ...schema.value.map((c) => `${c.name} ${formatType(c.type)}`),
  ].join(', ');

const I = SqlTypes.INTEGER;
const S = SqlTypes.STRING;
const stream = source(
  'STREAM',
  [['ID', SqlTypes.BIGINT]],
  [
    ['F1', I],
    ['F2', I],
    ['DATA', S],
    ['REGION', S],
    ['ADDRESS', SqlTypes.struct([{ name: 'TOWN', type: S }])],
  ],
);

const plan = (sql: string, input = stream) => planAggregation(input, query(sql), compiler);

describe('the schema of an aggregation (group-by.json)', () => {
  it.each([
    ['SELECT ID, COUNT(1) AS COUNT FROM TEST GROUP BY ID', 'ID BIGINT KEY, COUNT BIGINT'],
    [
      'SELECT ADDRESS->TOWN, COUNT(*) AS COUNT FROM TEST GROUP BY ADDRESS->TOWN',
      'TOWN STRING KEY, COUNT BIGINT',
    ],
    [
      'SELECT LEN(DATA), COUNT(*) AS COUNT FROM TEST GROUP BY LEN(DATA)',
      'KSQL_COL_0 INTEGER KEY, COUNT BIGINT',
    ],
    ['SELECT DATA AS NEW_KEY, COUNT(*) AS COUNT FROM TEST GROUP BY DATA', 'NEW_KEY STRING KEY, COUNT BIGINT'],
    [
      'SELECT SUBSTRING(region, 7, 2), COUNT(*) FROM TEST GROUP BY SUBSTRING(region, 7, 2)',
      'KSQL_COL_0 STRING KEY, KSQL_COL_1 BIGINT',
    ],
    [
      'SELECT address->town, f1, 2*f2+f1, COUNT(*), 2*f2 FROM TEST GROUP BY f1, address->town, 2*f2',
      'F1 INTEGER KEY, TOWN STRING KEY, KSQL_COL_2 INTEGER KEY, KSQL_COL_0 INTEGER, KSQL_COL_1 BIGINT',
    ],
    [
      'SELECT f1, f2, COUNT(*) FROM TEST GROUP BY f2, f1',
      'F2 INTEGER KEY, F1 INTEGER KEY, KSQL_COL_0 BIGINT',
    ],
    [
      'SELECT 1 as k, f1, count(1) AS ID2 FROM TEST group by f1, 1',
      'F1 INTEGER KEY, K INTEGER KEY, ID2 BIGINT',
    ],
    [
      'SELECT SUM(F1 + F2) AS SUM, F1, F2 FROM TEST GROUP BY F1, F2 HAVING F1 + F2 <= 20',
      'F1 INTEGER KEY, F2 INTEGER KEY, SUM INTEGER',
    ],
    [
      'SELECT ID, WindowStart as wstart, WindowEnd as wend, COUNT(1) AS Count FROM test WINDOW HOPPING (SIZE 30 SECONDS, ADVANCE BY 5 SECONDS) group by id',
      'ID BIGINT KEY, WSTART BIGINT, WEND BIGINT, COUNT BIGINT',
    ],
  ])('%s', (sql, expected) => {
    expect(schemaText(plan(sql).schema)).toBe(expected);
  });

  it('is a TABLE, windowed with a WINDOW clause', () => {
    const planned = plan('SELECT ID, COUNT(*) FROM TEST WINDOW TUMBLING (SIZE 30 SECONDS) GROUP BY ID');
    expect(planned.kind).toBe('TABLE');
    // Kept for the size plus the default grace of 24 hours: pull queries leave out older windows.
    expect(planned.window).toEqual({ type: 'TUMBLING', sizeMs: 30_000, retentionMs: 30_000 + 86_400_000 });
  });
});

describe('the checks of an aggregation, with ksqlDB messages', () => {
  it.each([
    [
      'SELECT DATA, DATA AS D2, COUNT(1) FROM TEST GROUP BY DATA',
      'The projection contains a key column more than once: `DATA` and `D2`.',
    ],
    [
      'SELECT *, COUNT() FROM TEST GROUP BY ID',
      'Non-aggregate SELECT expression(s) not part of GROUP BY: F1, F2, DATA, REGION, ADDRESS',
    ],
    [
      'SELECT DATA AS COUNT, COUNT(*) AS COUNT FROM TEST GROUP BY DATA',
      'Duplicate value columns found in schema: `COUNT` BIGINT',
    ],
    [
      'SELECT f1 * SUM(f2) FROM TEST GROUP BY f2',
      'Non-aggregate SELECT expression(s) not part of GROUP BY: (F1 * SUM(F2))\nEither add the column(s) to the GROUP BY or remove them from the SELECT.',
    ],
    [
      'SELECT SUBSTRING(region, 7, 1), COUNT(*) FROM TEST GROUP BY SUBSTRING(region, 7, 2)',
      'Non-aggregate SELECT expression(s) not part of GROUP BY: SUBSTRING(REGION, 7, 1)',
    ],
    [
      'SELECT f1 + f2, COUNT(*) FROM TEST GROUP BY f2 + f1',
      'Non-aggregate SELECT expression(s) not part of GROUP BY: (F1 + F2)',
    ],
    [
      'SELECT SUBSTRING(data, 0, 2) AS Thing, COUNT(*) FROM TEST GROUP BY SUBSTRING(data, 0, 2) HAVING LEN(region) < 2',
      'Non-aggregate HAVING expression not part of GROUP BY: REGION',
    ],
    ['SELECT COUNT(*) FROM TEST GROUP BY DATA, TEST.DATA', 'Duplicate GROUP BY expression: TEST.DATA'],
    [
      'SELECT COUNT(*) FROM TEST GROUP BY 1 + SUM(f2)',
      'GROUP BY does not support aggregate functions: SUM is an aggregate function.',
    ],
    [
      'SELECT SUBSTRING(data, 1, 2) FROM TEST GROUP BY f2',
      'GROUP BY requires aggregate functions in either the SELECT or HAVING clause.',
    ],
    ['SELECT data, COUNT() FROM TEST', 'Non-aggregate SELECT expression(s) not part of GROUP BY: DATA'],
    ['SELECT SUM(COUNT()) FROM TEST GROUP BY data', 'Aggregate functions can not be nested: SUM(COUNT())'],
    [
      'SELECT ID, count(1) FROM TEST WINDOW TUMBLING (SIZE 1 SECOND) GROUP BY WINDOWSTART',
      'Window bounds column WINDOWSTART can only be used in the SELECT clause of windowed aggregations',
    ],
    [
      'SELECT ID, count(1) FROM TEST WINDOW TUMBLING (SIZE 1 SECOND) GROUP BY ID HAVING windowStart > 11000',
      'Window bounds column WINDOWSTART can only be used in the SELECT clause of windowed aggregations',
    ],
    ['SELECT ID, SUM(DATA) FROM TEST GROUP BY ID', "Function 'SUM' does not accept parameters (STRING)."],
    [
      'SELECT DATA, WONT_FIND_ME(ID) FROM TEST GROUP BY DATA',
      "Can't find any functions with the name 'WONT_FIND_ME'",
    ],
    [
      'SELECT ID, COUNT(*) AS WINDOWSTART FROM TEST GROUP BY ID',
      '`WINDOWSTART` is a reserved column name. You cannot use it as an alias for a column.',
    ],
    [
      'SELECT ID, EXPLODE(ARRAY[1, 2]), COUNT(*) FROM TEST GROUP BY ID',
      'Table functions cannot be used with aggregations.',
    ],
  ])('%s', (sql, message) => {
    expect(() => plan(sql)).toThrow(message);
  });

  it.each([
    [
      'SELECT DATA FROM TEST GROUP BY DATA HAVING COUNT(DATA) = 1',
      'The projection contains no value columns.',
    ],
    [
      'SELECT ID, ROWTIME, COUNT(*) FROM TEST GROUP BY ID, ROWTIME',
      'Reserved column name in select: `ROWTIME`. Please remove or alias the column.',
    ],
  ])('persistent: %s', (sql, message) => {
    expect(() => planAggregation(stream, query(sql), compiler, 'OUTPUT')).toThrow(message);
  });

  it('lets a transient query select only its key, or a pseudo column by its name', () => {
    expect(plan('SELECT DATA FROM TEST GROUP BY DATA HAVING COUNT(DATA) = 1').schema.value).toEqual([]);
    expect(() => plan('SELECT ID, ROWTIME, COUNT(*) FROM TEST GROUP BY ID, ROWTIME')).not.toThrow();
    expect(() => plan('SELECT ID, COUNT(*) AS ROWTIME FROM TEST GROUP BY ID')).toThrow(
      '`ROWTIME` is a reserved column name. You cannot use it as an alias for a column.',
    );
  });

  it('refuses a stream-only function on a table', () => {
    const table = source('TABLE', [['K', S]], [['V', I]]);
    expect(() => plan('SELECT V, MAX(V) FROM TEST GROUP BY V', table)).toThrow(
      'The aggregation functions MAX cannot be applied to a table source, only to a stream source.',
    );
  });
});

/** Runs a planned step's operators on records. */
function run(operators: readonly OperatorFactory[], records: SqlRecord[]) {
  const chain =
    (factories: readonly OperatorFactory[]): OperatorFactory =>
    (downstream, context: OperatorContext) => {
      let emit = downstream;
      const built = [...factories].reverse().map((factory) => {
        const operator = factory(emit, context);
        emit = (r) => operator.process(r);
        return operator;
      });
      return built[built.length - 1] ?? { process: downstream };
    };
  const h = harness(chain(operators));
  h.send(...records);
  return h;
}

describe('the planned operators', () => {
  it('compute the SELECT from keys and aggregates (calculate average in having)', () => {
    const input = source(
      'STREAM',
      [['ID', SqlTypes.BIGINT]],
      [
        ['NAME', S],
        ['VALUE', SqlTypes.BIGINT],
      ],
    );
    const planned = plan(
      'SELECT id, sum(value)/count(id) as avg FROM test GROUP BY id HAVING sum(value)/count(id) > 25',
      input,
    );
    const h = run(planned.operators, [
      record([0n], ['zero', 50n]),
      record([1n], ['one', 100n]),
      record([1n], ['one', 10n]),
      record([0n], ['zero', 0n]),
    ]);
    expect(h.output.map((r) => [r.key, r.value])).toEqual([
      [[0n], [50n]],
      [[1n], [100n]],
      [[1n], [55n]],
      [[0n], null],
    ]);
  });

  it('turn a row that stops matching HAVING into a tombstone (having: table having)', () => {
    const input = source(
      'STREAM',
      [['ID', SqlTypes.BIGINT]],
      [
        ['NAME', S],
        ['VALUE', SqlTypes.BIGINT],
      ],
    );
    const planned = plan(
      'SELECT id, sum(value) as sum FROM test WINDOW TUMBLING (SIZE 30 SECONDS) GROUP BY id HAVING sum(value) > 100',
      input,
    );
    const h = run(planned.operators, [
      record([0n], ['zero', 0n]),
      record([1n], ['one', 101n]),
      record([1n], ['one', -5n]),
    ]);
    expect(h.output.map((r) => [r.key, r.value, r.window])).toEqual([
      [[1n], [101n], { start: 0, end: 30_000 }],
      [[1n], null, { start: 0, end: 30_000 }],
    ]);
  });

  it('read window bounds in SELECT (window-bounds: table hopping)', () => {
    const planned = plan(
      'SELECT ID, WindowStart as wstart, WindowEnd as wend, COUNT(1) AS Count FROM test WINDOW HOPPING (SIZE 30 SECONDS, ADVANCE BY 5 SECONDS) group by id',
    );
    const h = run(planned.operators, [record([0n], [1, 2, 'a', 'r', null], 10_000)]);
    expect(h.output.map((r) => r.value)).toEqual([
      [0n, 30_000n, 1n],
      [5000n, 35_000n, 1n],
      [10_000n, 40_000n, 1n],
    ]);
  });
});

describe('sources ksqlDB cannot aggregate', () => {
  it('refuses GROUP BY over a source whose values are KAFKA (group-by: field (stream->table) - KAFKA)', () => {
    const kafkaValues: PlannedSource =
      stream.input.kind === 'Topic'
        ? { ...stream, input: { ...stream.input, source: { ...stream.input.source, valueFormat: 'KAFKA' } } }
        : stream;
    expect(() => plan('SELECT DATA, COUNT(*) FROM TEST GROUP BY DATA', kafkaValues)).toThrow(
      "Source(s) TEST are using the 'KAFKA' value format. This format does not yet support GROUP BY.",
    );
  });
});

describe('through the core planner (planQuery)', () => {
  it('plans an aggregate query with the registered planner, keeping the SELECT order', () => {
    const testSource = stream.input.kind === 'Topic' ? stream.input.source : undefined;
    const catalog = { source: (name: string) => (name === 'TEST' ? testSource : undefined) };
    const planned = planQuery(query('SELECT COUNT(*) AS C, DATA FROM TEST GROUP BY DATA'), catalog, {
      type: 'PUSH',
      functions: createBuiltinRegistry(),
    });
    expect(planned.kind).toBe('TABLE');
    expect(schemaText(planned.schema)).toBe('DATA STRING KEY, C BIGINT');
    expect(planned.columnOrder).toEqual([
      { namespace: 'VALUE', index: 0 },
      { namespace: 'KEY', index: 0 },
    ]);
  });
});
