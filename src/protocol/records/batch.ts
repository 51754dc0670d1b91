// Raw magic-2 record batch handling for the produce path: split a record set into batches, validate
// them, read their headers and rewrite the broker-owned fields, all without decoding records.

import {
  Attributes,
  BATCH_HEADER_SIZE,
  BATCH_LENGTH_PREFIX,
  BatchOffset,
  CRC_START,
} from './batch-header.js';
import type { CompressionCodec } from './batch-header.js';
import { crc32c } from './crc32c.js';
import { corrupt, invalidRecord } from './errors.js';

export const CURRENT_MAGIC = 2;
/** batchLength of a batch with no records: the header after the length field. */
const MIN_BATCH_LENGTH = BATCH_HEADER_SIZE - BATCH_LENGTH_PREFIX;
/** An uncompressed record is at least 7 bytes (length, attributes, deltas, key, value, header count). */
const MIN_RECORD_SIZE = 7;
const HIGHEST_CODEC = 4;

export type TimestampType = 'CreateTime' | 'LogAppendTime';

export interface BatchInfo {
  baseOffset: bigint;
  /** Bytes of the whole batch, including baseOffset and batchLength. */
  size: number;
  partitionLeaderEpoch: number;
  magic: number;
  crc: number;
  attributes: number;
  compression: CompressionCodec;
  timestampType: TimestampType;
  isTransactional: boolean;
  isControl: boolean;
  lastOffsetDelta: number;
  baseTimestamp: bigint;
  maxTimestamp: bigint;
  producerId: bigint;
  producerEpoch: number;
  baseSequence: number;
  recordCount: number;
}

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
    const magic = records.readInt8(pos + BatchOffset.magic);
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
    const stored = records.readUInt32BE(pos + BatchOffset.crc);
    const computed = crc32c(records, pos + CRC_START, pos + size);
    if (stored !== computed) {
      throw corrupt(
        `record batch at byte ${pos} is corrupt: stored CRC ${hex(stored)} does not match computed CRC ${hex(computed)}`,
      );
    }
  }
  const attributes = records.readInt16BE(pos + BatchOffset.attributes);
  const compression = attributes & Attributes.compressionMask;
  if (compression > HIGHEST_CODEC) {
    throw corrupt(`record batch at byte ${pos} uses unknown compression codec id ${compression}`);
  }
  const recordCount = records.readInt32BE(pos + BatchOffset.recordCount);
  const lastOffsetDelta = records.readInt32BE(pos + BatchOffset.lastOffsetDelta);
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
  const baseSequence = records.readInt32BE(pos + BatchOffset.baseSequence);
  if (hasProducerId && baseSequence < 0) {
    throw invalidRecord(
      `record batch at byte ${pos} has a producer id but an invalid base sequence ${baseSequence}`,
    );
  }
}

/** Reads the header of the batch at `offset` in `records` (default: a batch view from splitBatches). */
export function readBatchInfo(records: Buffer, offset = 0): BatchInfo {
  if (records.length - offset < BATCH_HEADER_SIZE) {
    throw corrupt(
      `record batch at byte ${offset} is truncated: ${records.length - offset} bytes, header needs ${BATCH_HEADER_SIZE}`,
    );
  }
  const attributes = records.readInt16BE(offset + BatchOffset.attributes);
  return {
    baseOffset: records.readBigInt64BE(offset + BatchOffset.baseOffset),
    size: BATCH_LENGTH_PREFIX + records.readInt32BE(offset + BatchOffset.batchLength),
    partitionLeaderEpoch: records.readInt32BE(offset + BatchOffset.partitionLeaderEpoch),
    magic: records.readInt8(offset + BatchOffset.magic),
    crc: records.readUInt32BE(offset + BatchOffset.crc),
    attributes,
    compression: (attributes & Attributes.compressionMask) as CompressionCodec,
    timestampType: attributes & Attributes.timestampTypeLogAppend ? 'LogAppendTime' : 'CreateTime',
    isTransactional: (attributes & Attributes.transactional) !== 0,
    isControl: (attributes & Attributes.control) !== 0,
    lastOffsetDelta: records.readInt32BE(offset + BatchOffset.lastOffsetDelta),
    baseTimestamp: records.readBigInt64BE(offset + BatchOffset.baseTimestamp),
    maxTimestamp: records.readBigInt64BE(offset + BatchOffset.maxTimestamp),
    producerId: records.readBigInt64BE(offset + BatchOffset.producerId),
    producerEpoch: records.readInt16BE(offset + BatchOffset.producerEpoch),
    baseSequence: records.readInt32BE(offset + BatchOffset.baseSequence),
    recordCount: records.readInt32BE(offset + BatchOffset.recordCount),
  };
}

/** Offset of the last record of a batch: baseOffset + lastOffsetDelta. */
export function lastOffsetOf(batch: Buffer): bigint {
  return (
    batch.readBigInt64BE(BatchOffset.baseOffset) + BigInt(batch.readInt32BE(BatchOffset.lastOffsetDelta))
  );
}

/** Rewrites the base offset in place. The CRC does not cover it, so nothing else changes. */
export function assignOffsets(batch: Buffer, baseOffset: bigint | number): void {
  batch.writeBigInt64BE(BigInt(baseOffset), BatchOffset.baseOffset);
}

/** Rewrites the partition leader epoch in place (not covered by the CRC). */
/** Reads only the attributes: the produce path needs this one flag without building a BatchInfo. */
export function isTransactionalBatch(batch: Buffer): boolean {
  return (batch.readInt16BE(BatchOffset.attributes) & Attributes.transactional) !== 0;
}

export function setPartitionLeaderEpoch(batch: Buffer, epoch: number): void {
  batch.writeInt32BE(epoch, BatchOffset.partitionLeaderEpoch);
}

/**
 * Marks the batch as LogAppendTime with the given broker time as its max timestamp, then
 * recomputes the CRC. Record timestamps stay as sent; readers use maxTimestamp for every record.
 */
export function setLogAppendTime(batch: Buffer, timestamp: bigint | number): void {
  const attributes = batch.readInt16BE(BatchOffset.attributes);
  batch.writeInt16BE(attributes | Attributes.timestampTypeLogAppend, BatchOffset.attributes);
  batch.writeBigInt64BE(BigInt(timestamp), BatchOffset.maxTimestamp);
  updateCrc(batch);
}

/** Recomputes and stores the CRC of a batch that spans all of `batch`. */
export function updateCrc(batch: Buffer): void {
  batch.writeUInt32BE(crc32c(batch, CRC_START, batch.length), BatchOffset.crc);
}

function hex(value: number): string {
  return `0x${value.toString(16).padStart(8, '0')}`;
}
