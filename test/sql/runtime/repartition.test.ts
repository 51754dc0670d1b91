// Repartition records: a record written before the cut reads back the same after it (plain and tagged
// values, a table change's previous row, a window), keyed by the new key; a table change whose row
// moves to another group is split into the old group's retraction and the new group's row.
import { describe, expect, it } from 'vitest';
import type { ProduceRecord } from '../../../src/client/index.js';
import { groupByRepartition } from '../../../src/sql/runtime/operators/repartition.js';
import type { OperatorContext } from '../../../src/sql/runtime/operator.js';
import type { SqlRecord } from '../../../src/sql/runtime/records.js';
import {
  decodeRepartitioned,
  repartitionTopic,
  repartitionWriter,
} from '../../../src/sql/runtime/repartition.js';
import { encodeStoreValue } from '../../../src/sql/runtime/changelog.js';
import { SqlDecimal } from '../../../src/sql/types/index.js';

const context: OperatorContext = {
  queryId: 'CTAS_T_1',
  store: () => {
    throw new Error('no stores here');
  },
  processingError: () => undefined,
};

/** The user column (value index 0) as the group key. */
const byUser = groupByRepartition([{ evaluate: (record) => record.value?.[0] ?? null }]);

function writeAndRead(records: readonly SqlRecord[], point = byUser) {
  const outputs: ProduceRecord[] = [];
  const writer = repartitionWriter({ topic: 't', partitions: 4, point, outputs, context });
  for (const record of records) writer.process(record);
  return outputs.map((produced, offset) => ({
    key: produced.key?.toString() ?? null,
    partition: produced.partition,
    record: decodeRepartitioned({
      topic: 't',
      partition: 0,
      offset: BigInt(offset),
      timestamp: produced.timestamp ?? 0n,
      key: produced.key ?? null,
      value: produced.value,
      headers: [],
    }),
  }));
}

describe('repartition topics', () => {
  it('are named as ksqlDB names them', () => {
    expect(repartitionTopic('default_', 'CTAS_T_1', 'Aggregate-GroupBy')).toBe(
      '_confluent-ksql-default_query_CTAS_T_1-Aggregate-GroupBy-repartition',
    );
  });

  it('carry a record whole, plain or tagged values alike', () => {
    const plain: SqlRecord = {
      key: ['k1'],
      value: ['ann', 1, true, null],
      timestamp: 5,
      partition: 2,
      offset: 7,
    };
    const tagged: SqlRecord = {
      key: ['k2'],
      value: ['bob', 9007199254740993n, SqlDecimal.parse('1.10'), new Uint8Array([1, 2]), '"$odd'],
      timestamp: 6,
      partition: 3,
      offset: 8,
      window: { start: 0, end: 60_000 },
    };
    const [first, second] = writeAndRead([plain, tagged]);
    // Read back with the group key evaluated before the topic, so the aggregation does not evaluate it again.
    expect(first).toMatchObject({ key: '"ann"', record: { ...plain, groupKey: ['ann'] } });
    expect(second?.key).toBe('"bob"');
    expect(second?.record).toEqual({ ...tagged, groupKey: ['bob'] });
  });

  it('carry nested values (arrays, maps, structs with $ fields) and a previous row, as the changelog writes them', () => {
    const change: SqlRecord = {
      key: [7n],
      value: ['ann', [1n, null], new Map<string, bigint>([['a', 2n]]), { $x: 1n, y: 'z' }, -0.5],
      previous: ['ann', [], new Map(), { $x: null, y: null }, Number.NaN],
      timestamp: 9,
      partition: 0,
      offset: 3,
    };
    const outputs: ProduceRecord[] = [];
    repartitionWriter({ topic: 't', partitions: 1, point: byUser, outputs, context }).process(change);
    // The same bytes as the whole record tagged at once (what earlier versions wrote and a restart reads).
    const whole = {
      k: change.key,
      v: change.value,
      p: change.previous,
      o: [change.partition, change.offset],
      g: ['ann'],
    };
    expect(outputs[0]?.value?.toString()).toBe(encodeStoreValue(whole)?.toString());
    const [read] = writeAndRead([change]);
    expect(read?.record).toEqual({ ...change, groupKey: ['ann'] });
  });

  it('split a table change that moves to another group into a retraction and a new row', () => {
    const change: SqlRecord = {
      key: ['k'],
      value: ['bob', 2],
      previous: ['ann', 1],
      timestamp: 1,
      partition: 0,
      offset: 0,
    };
    expect(writeAndRead([change]).map(({ key, record }) => [key, record.value, record.previous])).toEqual([
      ['"ann"', null, ['ann', 1]],
      ['"bob"', ['bob', 2], null],
    ]);
    const same: SqlRecord = { ...change, previous: ['bob', 1] };
    expect(writeAndRead([same]).map(({ key, record }) => [key, record.value, record.previous])).toEqual([
      ['"bob"', ['bob', 2], ['bob', 1]],
    ]);
  });

  it('keep a record whose new key is NULL on its input partition', () => {
    const [written] = writeAndRead([{ key: ['k'], value: [null, 1], timestamp: 1, partition: 3, offset: 0 }]);
    expect(written).toMatchObject({ key: null, partition: 3 });
  });
});
