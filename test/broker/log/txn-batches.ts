// Transactional batches and commit/abort markers for the tests, built with the real record codec. Markers
// are built the way the transaction coordinator writes them (see the transactions contract): one control
// record, appended through the ordinary PartitionLog.append.
import {
  ControlRecordType,
  controlRecordKey,
  controlRecordValue,
} from '../../../src/protocol/records/control-record.js';
import { encodeBatch, type RecordInput } from '../../../src/protocol/records/record-codec.js';

export interface TxnProducer {
  producerId: number;
  epoch: number;
  /** Next sequence number; advanced by txnBatch. */
  sequence: number;
}

export function txnProducer(producerId: number, epoch = 0): TxnProducer {
  return { producerId, epoch, sequence: 0 };
}

/** A transactional batch of `values` (as keys too when `keyed`), with the producer's next sequence. */
export function txnBatch(
  producer: TxnProducer,
  values: readonly string[],
  options: { keys?: readonly string[]; timestamp?: number } = {},
): Buffer {
  const records: RecordInput[] = values.map((value, i) => ({
    key: options.keys?.[i] ?? null,
    value,
    timestamp: options.timestamp ?? 1_000,
  }));
  const batch = encodeBatch({
    records,
    producerId: producer.producerId,
    producerEpoch: producer.epoch,
    baseSequence: producer.sequence,
    isTransactional: true,
  });
  producer.sequence += values.length;
  return batch;
}

/** A commit or abort marker for the producer's transaction. */
export function markerBatch(
  producer: { producerId: number; epoch: number },
  commit: boolean,
  options: { coordinatorEpoch?: number; timestamp?: number } = {},
): Buffer {
  return encodeBatch({
    records: [
      {
        key: controlRecordKey(commit ? ControlRecordType.commit : ControlRecordType.abort),
        value: controlRecordValue(options.coordinatorEpoch ?? 0),
        timestamp: options.timestamp ?? 1_000,
      },
    ],
    producerId: producer.producerId,
    producerEpoch: producer.epoch,
    isTransactional: true,
    isControl: true,
  });
}
