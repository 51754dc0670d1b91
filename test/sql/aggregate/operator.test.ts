// The aggregation operator on its own: records in, table rows out, against ksqlDB's cases (count,
// histogram, tumbling-, hopping- and session-windows from ../shared/ksql-conformance/qtt).
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createAggregateRegistry } from '../../../src/sql/functions/aggregate/index.js';
import {
  aggregateOperator,
  type AggregateSpec,
  type WindowSpec,
} from '../../../src/sql/runtime/aggregate/index.js';
import { QueryFailure } from '../../../src/sql/runtime/operator.js';
import type { SqlRecord } from '../../../src/sql/runtime/records.js';
import { SqlDecimal, SqlTypes, type SqlValue } from '../../../src/sql/types/index.js';
import { harness, record } from './harness.js';

const registry = createAggregateRegistry();
const column = (namespace: 'key' | 'value', index: number) => ({
  evaluate: (r: SqlRecord): SqlValue => (namespace === 'key' ? r.key[index] : r.value?.[index]) ?? null,
});

/** What a test compares: key, value, timestamp and window of each output row. */
const shape = (r: SqlRecord) => ({
  key: r.key,
  value: r.value,
  timestamp: r.timestamp,
  ...(r.window === undefined ? {} : { window: r.window }),
});

describe('an unwindowed aggregation', () => {
  it('counts a table back to zero as rows are deleted (count: should count back to zero)', () => {
    // INPUT (K STRING PRIMARY KEY, ID BIGINT); SELECT ID, COUNT() ... GROUP BY ID
    const h = harness(
      aggregateOperator({
        storeName: 'Aggregate-Aggregate-Materialize',
        groupBy: [column('value', 0)],
        aggregates: [{ aggregate: registry.resolve('COUNT', []), args: [] }],
      }),
    );
    h.send(
      record(['1'], [3n], 0, null),
      record(['2'], [3n], 0, null),
      record(['1'], null, 0, [3n]),
      record(['2'], null, 0, [3n]),
    );
    expect(h.output.map((r) => [r.key, r.value])).toEqual([
      [[3n], [1n]],
      [[3n], [2n]],
      [[3n], [1n]],
      [[3n], [0n]],
    ]);
    expect(h.output[1]?.previous).toEqual([1n]);
  });

  it('moves a table row between groups, old group first (histogram on a table)', () => {
    // TEST (K STRING PRIMARY KEY, NAME STRING, REGION STRING); SELECT region, histogram(name) GROUP BY region
    const h = harness(
      aggregateOperator({
        storeName: 'agg',
        groupBy: [column('value', 1)],
        aggregates: [
          { aggregate: registry.resolve('HISTOGRAM', [SqlTypes.STRING]), args: [column('value', 0)] },
        ],
      }),
    );
    h.send(
      record(['0'], ['alice', 'east'], 0, null),
      record(['1'], ['bob', 'east'], 0, null),
      record(['2'], ['carol', 'west'], 0, null),
      record(['3'], ['dave', 'west'], 0, null),
      record(['1'], ['bob', 'west'], 0, ['bob', 'east']),
      record(['1'], null, 0, ['bob', 'west']),
    );
    const rows = h.output.map((r) => [r.key[0], Object.fromEntries(r.value?.[0] as Map<string, bigint>)]);
    expect(rows).toEqual([
      ['east', { alice: 1n }],
      ['east', { alice: 1n, bob: 1n }],
      ['west', { carol: 1n }],
      ['west', { carol: 1n, dave: 1n }],
      ['east', { alice: 1n }],
      ['west', { carol: 1n, dave: 1n, bob: 1n }],
      ['west', { carol: 1n, dave: 1n }],
    ]);
  });

  it('averages a table in one row per update when the group stays (average udaf with table)', () => {
    const h = harness(
      aggregateOperator({
        storeName: 'agg',
        groupBy: [column('value', 0)],
        aggregates: [{ aggregate: registry.resolve('AVG', [SqlTypes.INTEGER]), args: [column('value', 1)] }],
      }),
    );
    h.send(
      record(['alice'], ['a', 1], 0, null),
      record(['bob'], ['a', 2], 0, null),
      record(['alice'], ['a', null], 0, ['a', 1]),
      record(['alice'], ['a', 4], 0, ['a', null]),
    );
    expect(h.output.map((r) => r.value?.[0])).toEqual([1, 1.5, 2, 3]);
  });

  it('drops a row whose group key is NULL and reports it; a DECIMAL sum overflow stops the query', () => {
    const h = harness(
      aggregateOperator({
        storeName: 'agg',
        groupBy: [column('key', 0)],
        aggregates: [
          { aggregate: registry.resolve('SUM', [SqlTypes.decimal(2, 1)]), args: [column('value', 0)] },
        ],
      }),
    );
    h.send(record([null], [SqlDecimal.parse('9.5')]), record([1n], [SqlDecimal.parse('9.5')]));
    // 19.0 does not fit DECIMAL(2, 1): out of the operator, as ksqlDB's KsqlFunctionException.
    expect(() => h.send(record([1n], [SqlDecimal.parse('9.5')]))).toThrow(QueryFailure);
    expect(h.output.map((r) => String(r.value?.[0]))).toEqual(['9.5']);
    expect(h.errors).toHaveLength(1);
    expect(h.errors[0]?.message).toContain('resolved to null');
  });

  it('stamps a row with the largest timestamp of its group', () => {
    const h = harness(
      aggregateOperator({
        storeName: 'agg',
        groupBy: [column('key', 0)],
        aggregates: [{ aggregate: registry.resolve('COUNT', []), args: [] }],
      }),
    );
    h.send(record([1n], [], 100), record([1n], [], 50));
    expect(h.output.map((r) => r.timestamp)).toEqual([100, 100]);
  });
});

// ---------------------------------------------------------------- windows, from the qtt cases

const QTT = new URL('../../../../shared/ksql-conformance/qtt/', import.meta.url);
const haveQtt = existsSync(QTT);
if (!haveQtt) console.warn('skipping the qtt window cases: ../shared/ksql-conformance is absent');

interface QttRecord {
  key: number;
  value: string | null;
  timestamp: number;
  window?: { start: number; end: number };
}
interface QttCase {
  name: string;
  inputs: QttRecord[];
  outputs: QttRecord[];
}

function qttCase(file: string, name: string): QttCase {
  const { tests } = JSON.parse(readFileSync(new URL(file, QTT), 'utf8')) as { tests: QttCase[] };
  const found = tests.find((t) => t.name === name);
  if (found === undefined) throw new Error(`${file} has no case '${name}'`);
  return found;
}

/** `SELECT ID, max(value) FROM test WINDOW ... GROUP BY id` over (ID BIGINT KEY, VALUE BIGINT) DELIMITED. */
function runMaxCase(file: string, name: string, window: WindowSpec, emit?: AggregateSpec['emit']) {
  const test = qttCase(file, name);
  const h = harness(
    aggregateOperator({
      storeName: 'agg',
      groupBy: [column('key', 0)],
      aggregates: [{ aggregate: registry.resolve('MAX', [SqlTypes.BIGINT]), args: [column('value', 0)] }],
      window,
      ...(emit === undefined ? {} : { emit }),
    }),
  );
  for (const input of test.inputs) {
    h.send(record([BigInt(input.key)], [input.value === null ? null : BigInt(input.value)], input.timestamp));
  }
  const expected = test.outputs.map((o) => ({
    key: [BigInt(o.key)],
    value: o.value === null ? null : [BigInt(o.value)],
    timestamp: o.timestamp,
    window: { start: o.window?.start, end: o.window?.end },
  }));
  return { actual: h.output.map(shape), expected, h };
}

describe.skipIf(!haveQtt)('windowed aggregations (qtt)', () => {
  it('tumbling: drops records for windows past the grace period (out of order - explicit grace period)', () => {
    const window: WindowSpec = { type: 'TUMBLING', sizeMs: 30_000, graceMs: 60_000 };
    const { actual, expected } = runMaxCase(
      'tumbling-windows.json',
      'out of order - explicit grace period',
      window,
    );
    expect(actual).toEqual(expected);
  });

  it('hopping: updates every window covering a record, 24 h grace by default (out of order - no grace period)', () => {
    const window: WindowSpec = { type: 'HOPPING', sizeMs: 30_000, advanceMs: 15_000 };
    const { actual, expected } = runMaxCase('hopping-windows.json', 'out of order - no grace period', window);
    expect(actual).toEqual(expected);
  });

  it('session: merges sessions and deletes the merged ones (out of order - no grace period)', () => {
    const window: WindowSpec = { type: 'SESSION', gapMs: 30_000 };
    const { actual, expected } = runMaxCase('session-windows.json', 'out of order - no grace period', window);
    expect(actual).toEqual(expected);
  });

  it('session with an explicit grace period (out of order - explicit grace period)', () => {
    const window: WindowSpec = { type: 'SESSION', gapMs: 30_000, graceMs: 60_000 };
    const { actual, expected } = runMaxCase(
      'session-windows.json',
      'out of order - explicit grace period',
      window,
    );
    expect(actual).toEqual(expected);
  });
});

describe('session merging with EARLIEST_BY_OFFSET', () => {
  it('merges accumulators in arrival order (merging session windows - with nulls not ignored - N)', () => {
    const aggregate = registry.resolve(
      'EARLIEST_BY_OFFSET',
      [SqlTypes.INTEGER, SqlTypes.INTEGER, SqlTypes.BOOLEAN],
      [undefined, 2, false],
    );
    const h = harness(
      aggregateOperator({
        storeName: 'agg',
        groupBy: [column('key', 0)],
        aggregates: [{ aggregate, args: [column('value', 0)] }],
        window: { type: 'SESSION', gapMs: 1000 },
      }),
    );
    h.send(record([0n], [null], 0), record([0n], [1], 1500), record([0n], [null], 700));
    expect(h.output.map(shape)).toEqual([
      { key: [0n], value: [[null]], timestamp: 0, window: { start: 0, end: 0 } },
      { key: [0n], value: [[1]], timestamp: 1500, window: { start: 1500, end: 1500 } },
      { key: [0n], value: null, timestamp: 0, window: { start: 0, end: 0 } },
      { key: [0n], value: null, timestamp: 1500, window: { start: 1500, end: 1500 } },
      { key: [0n], value: [[null, 1]], timestamp: 1500, window: { start: 0, end: 1500 } },
    ]);
  });
});

describe('EMIT FINAL', () => {
  it('emits each tumbling window once, when stream time passes its end plus grace', () => {
    const h = harness(
      aggregateOperator({
        storeName: 'agg',
        groupBy: [column('key', 0)],
        aggregates: [{ aggregate: registry.resolve('COUNT', []), args: [] }],
        window: { type: 'TUMBLING', sizeMs: 1000, graceMs: 500 },
        emit: 'FINAL',
      }),
    );
    h.send(record([1n], [], 100), record([1n], [], 900), record([2n], [], 950), record([1n], [], 1200));
    expect(h.output).toEqual([]);
    h.send(record([1n], [], 1500)); // 1500 - 500 reaches the end (1000) of window [0, 1000)
    expect(h.output.map(shape)).toEqual([
      { key: [1n], value: [2n], timestamp: 900, window: { start: 0, end: 1000 } },
      { key: [2n], value: [1n], timestamp: 950, window: { start: 0, end: 1000 } },
    ]);
    h.send(record([1n], [], 2500));
    expect(h.output.slice(2).map(shape)).toEqual([
      { key: [1n], value: [2n], timestamp: 1500, window: { start: 1000, end: 2000 } },
    ]);
  });
});
