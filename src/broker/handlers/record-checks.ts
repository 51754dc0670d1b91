// Batch-level checks of the produce path that read only the header.
import { Attributes, BatchOffset } from '../../protocol/records/batch-header.js';

export function isTransactional(batch: Buffer): boolean {
  return (batch.readInt16BE(BatchOffset.attributes) & Attributes.transactional) !== 0;
}
