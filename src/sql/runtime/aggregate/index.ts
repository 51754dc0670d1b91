// The aggregation operator: GROUP BY with or without a window (see unwindowed.ts, time-windows.ts,
// sessions.ts), emitting the table's changed rows, or each window once with EMIT FINAL (final.ts).
import type { OperatorFactory } from '../operator.js';
import { AccumulatorSet } from './accumulators.js';
import { finalBuffer } from './final.js';
import { sessionAggregation } from './sessions.js';
import type { AggregateSpec } from './spec.js';
import { timeWindowedAggregation } from './time-windows.js';
import { unwindowedAggregation } from './unwindowed.js';

export type { AggregateCall, AggregateSpec, RecordEvaluator } from './spec.js';
export {
  DEFAULT_GRACE_MS,
  graceOf,
  isClosed,
  retentionOf,
  retentionRefusal,
  timeWindowsFor,
  type WindowSpec,
} from './windows.js';

export function aggregateOperator(spec: AggregateSpec): OperatorFactory {
  return (downstream, context) => {
    const accumulators = new AccumulatorSet(spec.aggregates);
    const { window } = spec;
    if (window === undefined) {
      if (spec.emit === 'FINAL') throw new Error('EMIT FINAL is only for windowed aggregations');
      return unwindowedAggregation(spec, accumulators, downstream, context);
    }
    const streamTime = { value: Number.NEGATIVE_INFINITY };
    const buffer =
      spec.emit === 'FINAL'
        ? finalBuffer(downstream, context, `${spec.storeName}-Suppress`, window)
        : undefined;
    const emit = buffer?.emit ?? downstream;
    const operator =
      window.type === 'SESSION'
        ? sessionAggregation({ ...spec, window }, accumulators, emit, context, streamTime)
        : timeWindowedAggregation({ ...spec, window }, accumulators, emit, context, streamTime);
    // The stream time that closes windows is the aggregation's own, the largest timestamp of the
    // records reaching it (as Kafka Streams' window aggregate keeps it): records filtered out before it
    // do not move it, and windows close only as a record is aggregated, after it is stored.
    return {
      process(record) {
        operator.process(record);
        buffer?.flush(streamTime.value);
      },
    };
  };
}
