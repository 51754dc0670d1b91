// Record-level checks of the produce path. Kafka parses every record of a produced batch, so a batch
// whose records do not decode is refused here rather than stored, where fetches, timestamp lookups and
// compaction would trip over it later.
import { Attributes, BatchOffset } from '../../protocol/records/batch-header.js';
import { decodeBatch, type KafkaRecord } from '../../protocol/records/record-codec.js';

/** The records of a batch whose CRC was already checked. Throws InvalidRecordBatchError when they do not decode. */
export function decodeProducedRecords(batch: Buffer): KafkaRecord[] {
  return decodeBatch(batch, { verifyCrc: false }).records;
}

/** Compacted topics keep the latest value per key, so Kafka refuses records without one. */
export function hasRecordWithoutKey(records: readonly KafkaRecord[]): boolean {
  return records.some((record) => record.key === null);
}

export function isTransactional(batch: Buffer): boolean {
  return (batch.readInt16BE(BatchOffset.attributes) & Attributes.transactional) !== 0;
}
