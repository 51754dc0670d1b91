// The join operators against the inputs and expected outputs of ksqlDB's qtt cases (joins.json),
// driven in the cases' order through the real side operators and an in-memory store.
import { describe, expect, it } from 'vitest';
import {
  combineRows,
  streamStreamJoin,
  streamTableJoin,
  tableTableJoin,
  type JoinSideSpec,
} from '../../../src/sql/runtime/join/index.js';
import type { SqlRecord } from '../../../src/sql/runtime/records.js';
import { qttAvailable, qttCase, runCase, type CaseSide } from './helpers.js';

const keyed = (kind: 'STREAM' | 'TABLE'): JoinSideSpec => ({ kind });
const byValueColumn =
  (index: number): JoinSideSpec['joinKey'] =>
  (record: SqlRecord) =>
    record.value?.[index] ?? null;

// TEST (ID KEY, NAME, VALUE) and TEST_STREAM / TEST_TABLE (ID KEY, F1, F2), joined ON t.id = tt.id.
function testAndTestStream(kind: 'STREAM' | 'TABLE', leftTopic = 'left_topic', rightTopic = 'right_topic') {
  const left: CaseSide = { keyColumns: ['ID'], valueColumns: ['NAME', 'VALUE'], side: keyed(kind) };
  const right: CaseSide = { keyColumns: ['ID'], valueColumns: ['F1', 'F2'], side: keyed(kind) };
  return { [leftTopic]: { ...left, port: 0 }, [rightTopic]: { ...right, port: 1 } };
}
const TEST_JOINED = ['NAME', 'VALUE', 'TT_ID', 'F1', 'F2'];
const layout = { leftWidth: 3, rightWidth: 3, keyColumnIndex: 0 };

const run = qttAvailable ? describe : describe.skip;
if (!qttAvailable)
  console.warn('ksqlDB conformance cases (../shared/ksql-conformance) absent: join cases skipped');

run('stream-stream join, as joins.json', () => {
  const cases: [string, 'INNER' | 'LEFT' | 'RIGHT', number, number][] = [
    ['stream stream inner join', 'INNER', 11_000, 11_000],
    ['stream stream inner join with different before and after windows', 'INNER', 11_000, 10_000],
  ];
  for (const [name, type, beforeMs, afterMs] of cases) {
    it(name, () => {
      const join = streamStreamJoin({ type, layout, beforeMs, afterMs, storeName: 'Join' });
      const { actual, expected } = runCase(
        qttCase('joins.json', name),
        testAndTestStream('STREAM'),
        join,
        TEST_JOINED,
      );
      expect(actual).toEqual(expected);
    });
  }

  for (const [name, type] of [
    ['stream stream left join - rekey', 'LEFT'],
    ['stream stream right join - rekey', 'RIGHT'],
  ] as const) {
    it(`${name}: sides keyed by a value column first`, () => {
      // TEST (K KEY, ID, NAME, VALUE) and TEST_STREAM (K KEY, ID, F1, F2) ON t.id = tt.id.
      const sides = {
        left_topic: {
          keyColumns: ['K'],
          valueColumns: ['ID', 'NAME', 'VALUE'],
          side: { kind: 'STREAM', joinKey: byValueColumn(0) } as const,
          port: 0,
        },
        right_topic: {
          keyColumns: ['K'],
          valueColumns: ['ID', 'F1', 'F2'],
          side: { kind: 'STREAM', joinKey: byValueColumn(0) } as const,
          port: 1,
        },
      };
      const join = streamStreamJoin({
        type,
        layout: { leftWidth: 4, rightWidth: 4, keyColumnIndex: 1 },
        beforeMs: 11_000,
        afterMs: 11_000,
        storeName: 'Join',
      });
      const joined = ['T_K', 'NAME', 'VALUE', 'TT_K', 'TT_ID', 'F1', 'F2'];
      const { actual, expected } = runCase(qttCase('joins.json', name), sides, join, joined);
      expect(actual).toEqual(expected);
    });
  }

  for (const [name, type] of [
    ['stream stream inner join with out of order and custom grace period', 'INNER'],
    ['stream stream left join with out of order and custom grace period', 'LEFT'],
    ['stream stream right join with out of order and custom grace period', 'RIGHT'],
    ['stream stream full outer join with out of order and custom grace period', 'FULL'],
  ] as const) {
    it(name, () => {
      const side = (port: number, column: string) => ({
        keyColumns: ['ID'],
        valueColumns: [column],
        side: keyed('STREAM'),
        port,
      });
      const join = streamStreamJoin({
        type,
        layout: { leftWidth: 2, rightWidth: 2 },
        beforeMs: 60_000,
        afterMs: 60_000,
        graceMs: 60_000,
        storeName: 'Join',
      });
      const { actual, expected } = runCase(
        qttCase('joins.json', name),
        { left_topic: side(0, 'L1'), right_topic: side(1, 'L2') },
        join,
        ['T_ID', 'L1', 'TT_ID', 'L2'],
      );
      expect(actual).toEqual(expected);
    });
  }

  it('stream to stream wrapped single field value schema on inputs', () => {
    const side = (port: number) => ({
      keyColumns: ['ID'],
      valueColumns: ['NAME'],
      side: keyed('STREAM'),
      port,
    });
    const join = streamStreamJoin({
      type: 'INNER',
      layout: { leftWidth: 2, rightWidth: 2, keyColumnIndex: 0 },
      beforeMs: 1000,
      afterMs: 1000,
      storeName: 'Join',
    });
    const testCase = qttCase('joins.json', 'stream to stream wrapped single field value schema on inputs');
    const { actual, expected } = runCase(testCase, { S1: side(0), S2: side(1) }, join, [
      'NAME1',
      'S2_ID',
      'NAME2',
    ]);
    expect(actual).toEqual(expected);
  });
});

run('stream-table join, as joins.json', () => {
  it('stream table inner join: table updates emit nothing, the stream record keeps its timestamp', () => {
    const join = streamTableJoin({ type: 'INNER', layout, storeName: 'Join' });
    const sides = {
      test_topic: { keyColumns: ['ID'], valueColumns: ['NAME', 'VALUE'], side: keyed('STREAM'), port: 0 },
      test_table: { keyColumns: ['ID'], valueColumns: ['F1', 'F2'], side: keyed('TABLE'), port: 1 },
    };
    const { actual, expected } = runCase(
      qttCase('joins.json', 'stream table inner join'),
      sides,
      join,
      TEST_JOINED,
    );
    expect(actual).toEqual(expected);
  });

  it('stream to table wrapped single field value schema on inputs: a deleted row joins no more', () => {
    const join = streamTableJoin({
      type: 'INNER',
      layout: { leftWidth: 2, rightWidth: 2, keyColumnIndex: 0 },
      storeName: 'Join',
    });
    const sides = {
      S: { keyColumns: ['ID'], valueColumns: ['NAME'], side: keyed('STREAM'), port: 0 },
      T: { keyColumns: ['ID'], valueColumns: ['NAME'], side: keyed('TABLE'), port: 1 },
    };
    const testCase = qttCase('joins.json', 'stream to table wrapped single field value schema on inputs');
    const { actual, expected } = runCase(testCase, sides, join, ['NAME1', 'T_ID', 'NAME2']);
    expect(actual).toEqual(expected);
  });
});

run('table-table join, as joins.json', () => {
  for (const [name, type] of [
    ['table table left join', 'LEFT'],
    ['table table right join', 'RIGHT'],
    ['table table inner join', 'INNER'],
  ] as const) {
    it(name, () => {
      const join = tableTableJoin({ type, layout, storeName: 'Join' });
      const { actual, expected } = runCase(
        qttCase('joins.json', name),
        testAndTestStream('TABLE'),
        join,
        TEST_JOINED,
      );
      expect(actual).toEqual(expected);
    });
  }

  it('unaliased synthetic join key: FULL OUTER, the later timestamp of the two rows', () => {
    const side = (port: number) => ({
      keyColumns: ['ID'],
      valueColumns: ['V0', 'V1'],
      side: keyed('TABLE'),
      port,
    });
    const join = tableTableJoin({ type: 'FULL', layout: { leftWidth: 3, rightWidth: 3 }, storeName: 'Join' });
    const { actual, expected } = runCase(
      qttCase('joins.json', 'unaliased synthetic join key'),
      { left_topic: side(0), right_topic: side(1) },
      join,
      ['L_ID', 'L_V0', 'L_V1', 'R_ID', 'R_V0', 'R_V1'],
    );
    expect(actual).toEqual(expected);
  });

  for (const name of [
    'table to table wrapped single field value schema on inputs',
    'table to table unwrapped single field value schema on inputs',
  ]) {
    it(`${name}: tombstones only where a joined row existed`, () => {
      const side = (port: number) => ({
        keyColumns: ['ID'],
        valueColumns: ['NAME'],
        side: keyed('TABLE'),
        port,
      });
      const join = tableTableJoin({
        type: 'INNER',
        layout: { leftWidth: 2, rightWidth: 2, keyColumnIndex: 0 },
        storeName: 'Join',
      });
      const { actual, expected } = runCase(qttCase('joins.json', name), { T1: side(0), T2: side(1) }, join, [
        'NAME1',
        'T2_ID',
        'NAME2',
      ]);
      expect(actual).toEqual(expected);
    });
  }
});

describe('combineRows', () => {
  const layout = { leftWidth: 4, rightWidth: 2, keyColumnIndex: 0 };

  it('lays out left then right, less the key column, with NULLs for a missing side', () => {
    expect(combineRows(layout, [1, 'a', 5n, 0], null)).toEqual(['a', 5n, 0, null, null]);
  });

  it('pads a row stored before rows carried their pseudo-columns, so the right side stays in place', () => {
    expect(combineRows(layout, [1, 'a'], ['r', 7n])).toEqual(['a', null, null, 'r', 7n]);
  });
});
