// Validation of raw magic-2 record sets for the produce path: split a record set into batches and check
// each one, without decoding records. Reading and rewriting header fields is batch-header.ts's job.

import {
  Attributes,
  attributesOf,
  BATCH_HEADER_SIZE,
  BATCH_LENGTH_PREFIX,
  BatchOffset,
  baseSequenceOf,
  CRC_START,
  crcOf,
  CURRENT_MAGIC,
  lastOffsetDeltaOf,
  magicOf,
  recordCountOf,
} from './batch-header.js';
import { crc32c } from './crc32c.js';
import { corrupt, invalidRecord } from './errors.js';

/** batchLength of a batch with no records: the header after the length field. */
const MIN_BATCH_LENGTH = BATCH_HEADER_SIZE - BATCH_LENGTH_PREFIX;
/** An uncompressed record is at least 7 bytes (length, attributes, deltas, key, value, header count). */
const MIN_RECORD_SIZE = 7;
const HIGHEST_CODEC = 4;

export interface BatchValidationOptions {
  /**
   * Also apply the checks Kafka makes on batches sent by producers: at least one record, offset
   * deltas that match the record count, no control batches, a sequence when there is a producer id.
   */
  fromClient?: boolean;
  /** Stop quietly at an incomplete last batch (fetch responses may end with one) instead of refusing it. */
  allowPartialTail?: boolean;
  /** Skip the CRC check (for bytes read back from Venice's own log, already verified on append). */
  skipCrc?: boolean;
}

/**
 * Walks a record set (batches back to back) and returns each batch as a view into `records`,
 * after validating it. Throws InvalidRecordBatchError on the first bad batch.
 */
export function splitBatches(records: Buffer, options: BatchValidationOptions = {}): Buffer[] {
  const batches: Buffer[] = [];
  const total = records.length;
  let pos = 0;
  while (pos < total) {
    const size = batchSizeAt(records, pos, options.allowPartialTail === true);
    if (size === 0) break;
    checkBatchAt(records, pos, size, options);
    batches.push(records.subarray(pos, pos + size));
    pos += size;
  }
  return batches;
}

/** Validates one batch that spans all of `batch` (as returned by splitBatches). */
export function validateBatch(batch: Buffer, options: BatchValidationOptions = {}): void {
  const size = batchSizeAt(batch, 0, false);
  if (size !== batch.length) {
    throw corrupt(`record batch declares ${size} bytes but ${batch.length} were given`);
  }
  checkBatchAt(batch, 0, size, options);
}

/**
 * Size of the batch starting at `pos`, after checking that its length and magic are acceptable.
 * Returns 0 for an incomplete last batch when that is allowed.
 */
function batchSizeAt(records: Buffer, pos: number, allowPartialTail: boolean): number {
  const remaining = records.length - pos;
  if (remaining < BATCH_LENGTH_PREFIX) {
    if (allowPartialTail) return 0;
    throw corrupt(`record set ends with ${remaining} stray bytes at byte ${pos}, too few for a batch header`);
  }
  const batchLength = records.readInt32BE(pos + BatchOffset.batchLength);
  if (remaining > BatchOffset.magic) {
    const magic = magicOf(records, pos);
    if (magic !== CURRENT_MAGIC) {
      if (magic === 0 || magic === 1) {
        // Kafka refuses legacy message sets on Produce v3+ with INVALID_RECORD and this wording.
        throw invalidRecord(
          `record batch at byte ${pos} has magic ${magic}: only record batches with magic version 2 are allowed`,
        );
      }
      throw corrupt(`record batch at byte ${pos} has unknown magic ${magic}`);
    }
  }
  if (batchLength < MIN_BATCH_LENGTH) {
    throw corrupt(
      `record batch at byte ${pos} declares a length of ${batchLength}, less than the ${MIN_BATCH_LENGTH}-byte header`,
    );
  }
  const size = BATCH_LENGTH_PREFIX + batchLength;
  if (size > remaining) {
    if (allowPartialTail) return 0;
    throw corrupt(
      `record batch at byte ${pos} is truncated: it declares ${size} bytes but only ${remaining} remain`,
    );
  }
  return size;
}

function checkBatchAt(records: Buffer, pos: number, size: number, options: BatchValidationOptions): void {
  if (options.skipCrc !== true) {
    const stored = crcOf(records, pos);
    const computed = crc32c(records, pos + CRC_START, pos + size);
    if (stored !== computed) {
      throw corrupt(
        `record batch at byte ${pos} is corrupt: stored CRC ${hex(stored)} does not match computed CRC ${hex(computed)}`,
      );
    }
  }
  const attributes = attributesOf(records, pos);
  const compression = attributes & Attributes.compressionMask;
  if (compression > HIGHEST_CODEC) {
    throw corrupt(`record batch at byte ${pos} uses unknown compression codec id ${compression}`);
  }
  const recordCount = recordCountOf(records, pos);
  const lastOffsetDelta = lastOffsetDeltaOf(records, pos);
  if (recordCount < 0)
    throw corrupt(`record batch at byte ${pos} has a negative record count ${recordCount}`);
  if (lastOffsetDelta < 0)
    throw corrupt(`record batch at byte ${pos} has a negative last offset delta ${lastOffsetDelta}`);
  // Offset deltas strictly increase, so n records span at least n offsets.
  if (lastOffsetDelta < recordCount - 1) {
    throw invalidRecord(
      `record batch at byte ${pos} holds ${recordCount} records within only ${lastOffsetDelta + 1} offsets`,
    );
  }
  if (compression === 0 && recordCount * MIN_RECORD_SIZE > size - BATCH_HEADER_SIZE) {
    throw corrupt(
      `record batch at byte ${pos} claims ${recordCount} records but has only ${size - BATCH_HEADER_SIZE} bytes for them`,
    );
  }
  if (options.fromClient === true) checkClientBatch(records, pos, attributes, recordCount, lastOffsetDelta);
}

// Mirrors the checks Kafka's log validator applies to batches from producers.
function checkClientBatch(
  records: Buffer,
  pos: number,
  attributes: number,
  recordCount: number,
  lastOffsetDelta: number,
): void {
  if (recordCount === 0) throw invalidRecord(`record batch at byte ${pos} has no records`);
  if (lastOffsetDelta + 1 !== recordCount) {
    throw invalidRecord(
      `record batch at byte ${pos} has an offset range of ${lastOffsetDelta + 1} that does not match its ${recordCount} records`,
    );
  }
  if (attributes & Attributes.control)
    throw invalidRecord('clients are not allowed to write control records');
  const hasProducerId = records.readInt32BE(pos + BatchOffset.producerId) >= 0; // sign of the int64
  const baseSequence = baseSequenceOf(records, pos);
  if (hasProducerId && baseSequence < 0) {
    throw invalidRecord(
      `record batch at byte ${pos} has a producer id but an invalid base sequence ${baseSequence}`,
    );
  }
}

function hex(value: number): string {
  return `0x${value.toString(16).padStart(8, '0')}`;
}
