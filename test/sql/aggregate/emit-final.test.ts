// EMIT FINAL as ksqlDB runs it (Kafka Streams' emit-on-window-close): windows close as records reach the
// aggregation, on its own stream time; a time window that has left the store's retention by the time it
// closes is dropped, not emitted; and what was emitted stays emitted across a restart. Cases from
// ../shared/ksql-conformance/qtt/suppress.json, run on the operator alone.
import { describe, expect, it } from 'vitest';
import { createAggregateRegistry } from '../../../src/sql/functions/aggregate/index.js';
import { aggregateOperator, type WindowSpec } from '../../../src/sql/runtime/aggregate/index.js';
import type { SqlRecord } from '../../../src/sql/runtime/records.js';
import { harness, record } from './harness.js';

const registry = createAggregateRegistry();

/** COUNT(*) per key column 0, EMIT FINAL. */
const finalCounts = (window: WindowSpec) =>
  harness(
    aggregateOperator({
      storeName: 'Aggregate-Aggregate-Materialize',
      groupBy: [{ evaluate: (r: SqlRecord) => r.key[0] ?? null }],
      aggregates: [{ aggregate: registry.resolve('COUNT', []), args: [] }],
      window,
      emit: 'FINAL',
    }),
  );

const at = (key: string, ...timestamps: number[]) => timestamps.map((ts) => record([key], [], ts));

const shape = (r: SqlRecord) => ({ key: r.key, value: r.value, timestamp: r.timestamp, window: r.window });

describe('EMIT FINAL of time windows', () => {
  it('emits only the windows still within the retention when a jump in stream time closes several', () => {
    // suppress: should support final results for tumbling windows (retention = size + grace = 3)
    const h = finalCounts({ type: 'TUMBLING', sizeMs: 2, graceMs: 1 });
    h.send(...at('k1', 0, 1, 2, 1, 0));
    expect(h.output).toEqual([]);
    // 5 closes [0, 2) and [2, 4); the latest start is 4, so [0, 2) (start 0 < 4 - 3) is gone.
    h.send(...at('k1', 5));
    expect(h.output.map(shape)).toEqual([
      { key: ['k1'], value: [1n], timestamp: 2, window: { start: 2, end: 4 } },
    ]);
    h.send(...at('k1', 0)); // late: its window is closed
    expect(h.output).toHaveLength(1);
  });

  it('emits a window that closes while within the retention (grace 0)', () => {
    // suppress: should emit final result immediately at window end if grace is specified as zero
    const h = finalCounts({ type: 'TUMBLING', sizeMs: 2, graceMs: 0 });
    h.send(...at('k1', 0, 1, 2));
    expect(h.output.map(shape)).toEqual([
      { key: ['k1'], value: [2n], timestamp: 1, window: { start: 0, end: 2 } },
    ]);
  });

  it('emits nothing for windows that left the retention before they closed', () => {
    // suppress: should support final results for tumbling windows with large jump
    const h = finalCounts({ type: 'TUMBLING', sizeMs: 2, graceMs: 2 });
    h.send(...at('k1', 0, 1, 2, 0, 3, 0, 10, 0, 30));
    expect(h.output).toEqual([]);
  });

  it('drops the hopping windows past the retention of the latest start', () => {
    // suppress: should support final results for hopping windows (retention = 5 + 1)
    const h = finalCounts({ type: 'HOPPING', sizeMs: 5, advanceMs: 2, graceMs: 1 });
    h.send(...at('k1', 0, 1, 2, 1, 6, 5, 10));
    expect(h.output.map(shape)).toEqual([
      { key: ['k1'], value: [4n], timestamp: 2, window: { start: 0, end: 5 } },
      // [2, 7) closes at 10 too, but starts before 8 (latest start) - 6.
      { key: ['k1'], value: [2n], timestamp: 6, window: { start: 4, end: 9 } },
    ]);
  });

  it('keeps the windows of every key to the same retention', () => {
    // suppress: should suppress multiple keys
    const h = finalCounts({ type: 'TUMBLING', sizeMs: 2, graceMs: 1 });
    h.send(
      ...at('k1', 0),
      ...at('k2', 1),
      ...at('k1', 2, 1),
      ...at('k2', 0),
      ...at('k1', 5, 0),
      ...at('k2', 2),
    );
    expect(h.output.map(shape)).toEqual([
      { key: ['k1'], value: [1n], timestamp: 2, window: { start: 2, end: 4 } },
    ]);
  });

  it('closes windows only as records are aggregated, not as stream time moves elsewhere', () => {
    const h = finalCounts({ type: 'TUMBLING', sizeMs: 2, graceMs: 1 });
    h.send(...at('k1', 0, 1));
    // Records filtered out before the aggregation move the query's stream time, not the aggregation's.
    h.operator.advance?.(100);
    h.send(...at('k1', 1));
    expect(h.output).toEqual([]);
    h.send(...at('k1', 3));
    expect(h.output.map(shape)).toEqual([
      { key: ['k1'], value: [3n], timestamp: 1, window: { start: 0, end: 2 } },
    ]);
  });
});

describe('EMIT FINAL across a restart', () => {
  it('applies the retention to windows held before the restart', () => {
    const h = finalCounts({ type: 'TUMBLING', sizeMs: 2, graceMs: 1 });
    h.send(...at('k1', 0, 1, 2));
    h.restart();
    h.send(...at('k1', 5));
    expect(h.output.map(shape)).toEqual([
      { key: ['k1'], value: [1n], timestamp: 2, window: { start: 2, end: 4 } },
    ]);
  });

  it('does not emit a window again when a late record reaches it after the restart', () => {
    const h = finalCounts({ type: 'TUMBLING', sizeMs: 10, graceMs: 5 });
    h.send(...at('k1', 1, 16));
    expect(h.output.map(shape)).toEqual([
      { key: ['k1'], value: [1n], timestamp: 1, window: { start: 0, end: 10 } },
    ]);
    // The restarted aggregation's stream time starts over (Kafka Streams keeps it in memory only), so it
    // takes the late record at 3; the window [0, 10) was emitted, and is not emitted again when it closes.
    h.restart();
    h.send(...at('k1', 3, 17));
    expect(h.output).toHaveLength(1);
    h.send(...at('k1', 26));
    expect(h.output.slice(1).map(shape)).toEqual([
      { key: ['k1'], value: [2n], timestamp: 17, window: { start: 10, end: 20 } },
    ]);
  });
});
