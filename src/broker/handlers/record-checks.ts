// Record-level checks the produce path needs for some topics only; they decode the batch, so the
// common path never calls them.
import { decodeBatch } from '../../protocol/records/record-codec.js';

/** Compacted topics keep the latest value per key, so Kafka refuses records without one. */
export function hasRecordWithoutKey(batch: Buffer): boolean {
  return decodeBatch(batch, { verifyCrc: false }).records.some((record) => record.key === null);
}
