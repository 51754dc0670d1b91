// ROWTIME, WINDOWSTART and WINDOWEND compared with datetime text in a WHERE, as ksqlDB's
// magic-timestamp-conversion cases do: the text (partial, with Z or an offset, UTC otherwise) is read as
// epoch ms, anywhere in the WHERE; bad text gets ksqlDB's message.
import { describe, expect, it } from 'vitest';
import { createBuiltinRegistry } from '../../../src/sql/functions/index.js';
import { parseStatements, type Query } from '../../../src/sql/parser/index.js';
import type { DataSource, WindowInfo } from '../../../src/sql/planner/data-source.js';
import { planQuery, type QueryPlan } from '../../../src/sql/planner/index.js';
import { partialTimestampMillis } from '../../../src/sql/planner/magic-timestamps.js';
import type { OperatorFactory } from '../../../src/sql/runtime/operator.js';
import type { SqlRecord, WindowBounds } from '../../../src/sql/runtime/records.js';
import { SqlTypes } from '../../../src/sql/types/index.js';
import { harness } from '../aggregate/harness.js';
import { jsonSource, keyColumn, valueColumn } from '../helpers/data-source.js';

function source(name: string, window?: WindowInfo): DataSource {
  return jsonSource({
    name,
    topic: 'test_topic',
    key: [keyColumn('K', SqlTypes.STRING)],
    value: [valueColumn('SOURCE', SqlTypes.INTEGER)],
    ...(window === undefined ? {} : { window }),
  });
}

const sources = new Map([
  ['TEST', source('TEST')],
  ['SESSIONS', source('SESSIONS', { type: 'SESSION' })],
]);

function plan(sql: string): QueryPlan {
  const [statement] = parseStatements(sql);
  if (statement?.kind !== 'CreateAsSelect') throw new Error('not a CREATE ... AS SELECT');
  const query: Query = statement.query;
  return planQuery(
    query,
    { source: (name) => sources.get(name) },
    {
      type: 'PERSISTENT',
      functions: createBuiltinRegistry(),
      sink: { kind: 'CREATE', sourceType: 'STREAM', name: 'OUTPUT' },
    },
  );
}

/** The timestamps (or window starts) of the records that pass the plan's operators. */
function passing(p: QueryPlan, records: SqlRecord[]): number[] {
  const composed: OperatorFactory = (downstream, context) => {
    let emit = downstream;
    for (const factory of [...p.root.operators].reverse()) {
      const operator = factory(emit, context);
      emit = (r) => operator.process(r);
    }
    return { process: emit };
  };
  const h = harness(composed);
  h.send(...records);
  expect(h.errors).toEqual([]);
  return h.output.map((r) => r.window?.start ?? r.timestamp);
}

const at = (timestamp: number, source = 1, window?: WindowBounds): SqlRecord => ({
  key: ['k'],
  value: [source],
  timestamp,
  partition: 0,
  offset: 0,
  ...(window === undefined ? {} : { window }),
});

describe('datetime text compared with ROWTIME and the window bounds', () => {
  it('reads full, partial, Z and offset text as UTC epoch ms', () => {
    expect(partialTimestampMillis('2018-01-01T00:00:00.001')).toBe(Date.UTC(2018, 0, 1, 0, 0, 0, 1));
    expect(partialTimestampMillis('2020-02-23T23:45:12.000')).toBe(1582501512000);
    expect(partialTimestampMillis('2020-02-22T23:45')).toBe(Date.UTC(2020, 1, 22, 23, 45));
    expect(partialTimestampMillis('2018')).toBe(Date.UTC(2018, 0, 1));
    expect(partialTimestampMillis('2018-06')).toBe(Date.UTC(2018, 5, 1));
    expect(partialTimestampMillis('2018-01-01T00:00:00Z')).toBe(Date.UTC(2018, 0, 1));
    expect(partialTimestampMillis('2019-01-01T00:00:00+0445')).toBe(Date.UTC(2018, 11, 31, 19, 15));
    expect(partialTimestampMillis('2019-01-01T00:00:00-08')).toBe(Date.UTC(2019, 0, 1, 8));
    expect(partialTimestampMillis('2020-02-24T24')).toBe(Date.UTC(2020, 1, 25));
  });

  it("refuses text it cannot read with ksqlDB's message", () => {
    expect(() => partialTimestampMillis('yesterday')).toThrow(/^Failed to parse timestamp 'yesterday': /);
    expect(() => partialTimestampMillis('2018-13-01')).toThrow(/Invalid value for MonthOfYear/);
    expect(() => plan("CREATE STREAM OUTPUT AS SELECT K, SOURCE FROM TEST WHERE ROWTIME > 'soon';")).toThrow(
      /Failed to parse timestamp 'soon'.*\nRequired format is: "yyyy-MM-dd'T'HH:mm:ss.SSS"/,
    );
  });

  it('filters on ROWTIME compared with text, on either side and nested in AND', () => {
    const t = Date.UTC(2018, 0, 1);
    const records = [at(t, 5), at(t + 1, 5), at(t + 2, 6)];
    const after = plan(
      "CREATE STREAM OUTPUT AS SELECT K, SOURCE FROM TEST WHERE ROWTIME > '2018-01-01T00:00:00.000';",
    );
    expect(passing(after, records)).toEqual([t + 1, t + 2]);
    const flipped = plan("CREATE STREAM OUTPUT AS SELECT K, SOURCE FROM TEST WHERE '2018' >= ROWTIME;");
    expect(passing(flipped, records)).toEqual([t]);
    const nested = plan(
      "CREATE STREAM OUTPUT AS SELECT K, SOURCE FROM TEST WHERE ROWTIME >= '2018-01-01T00:00:00.001' AND SOURCE = 5;",
    );
    expect(passing(nested, records)).toEqual([t + 1]);
  });

  it('filters on ROWTIME BETWEEN two texts', () => {
    const t = Date.UTC(2018, 0, 1);
    const between = plan(
      "CREATE STREAM OUTPUT AS SELECT K, SOURCE FROM TEST WHERE ROWTIME BETWEEN '2018-01-01T00:00:00.001' AND '2018-01-01T00:00:01';",
    );
    expect(passing(between, [at(t), at(t + 1), at(t + 1000), at(t + 1001)])).toEqual([t + 1, t + 1000]);
  });

  it('filters a windowed source on WINDOWSTART and WINDOWEND compared with text', () => {
    const start = Date.UTC(2020, 1, 10, 8, 31, 44);
    const windowed = (offset: number): SqlRecord =>
      at(start, 1, { start: start + offset, end: start + offset + 1000 });
    const bounds = plan(
      "CREATE STREAM OUTPUT AS SELECT K, SOURCE FROM SESSIONS WHERE '2020-02-10T08:31:44.001+0000' <= WINDOWSTART AND WINDOWEND <= '2020-02-10T08:31:45.001+0000';",
    );
    expect(passing(bounds, [windowed(0), windowed(1), windowed(2)])).toEqual([start + 1]);
  });

  it('leaves a string compared with another column alone', () => {
    expect(() =>
      plan("CREATE STREAM OUTPUT AS SELECT K, SOURCE FROM TEST WHERE SOURCE > '2018';"),
    ).not.toThrow(/Failed to parse timestamp/);
  });
});
