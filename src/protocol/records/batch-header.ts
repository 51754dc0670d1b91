// The header of a magic-2 record batch: its byte layout, and every read and in-place rewrite of its fields.
// Whatever looks inside a batch without decoding its records (the produce path, the broker's log, its
// recovery and index builder, the cleaner, tests) goes through here. Two ways to read:
// - one field at a time, with offsets and timestamps as plain numbers (a log never comes near 2^53), for
//   hot paths that read a field or two of many batches back to back (`at` is where the batch starts);
// - readBatchInfo: the whole header at once, int64 fields as bigints, for decoders and tools.
import { crc32c } from './crc32c.js';
import { corrupt } from './errors.js';

export const BatchOffset = {
  baseOffset: 0, // int64
  batchLength: 8, // int32: bytes after this field
  partitionLeaderEpoch: 12, // int32
  magic: 16, // int8
  crc: 17, // uint32, CRC-32C of everything from attributes to the end
  attributes: 21, // int16
  lastOffsetDelta: 23, // int32
  baseTimestamp: 27, // int64
  maxTimestamp: 35, // int64
  producerId: 43, // int64
  producerEpoch: 51, // int16
  baseSequence: 53, // int32
  recordCount: 57, // int32
} as const;

/** Bytes before the records: the whole fixed header. */
export const BATCH_HEADER_SIZE = 61;
/** baseOffset + batchLength: the part not counted in batchLength. */
export const BATCH_LENGTH_PREFIX = 12;
/** Where the CRC-covered region starts. */
export const CRC_START = BatchOffset.attributes;
/** The only batch format Venice reads and writes. */
export const CURRENT_MAGIC = 2;

export const Attributes = {
  compressionMask: 0x07,
  timestampTypeLogAppend: 0x08,
  transactional: 0x10,
  control: 0x20,
  deleteHorizon: 0x40,
} as const;

export const Compression = { none: 0, gzip: 1, snappy: 2, lz4: 3, zstd: 4 } as const;
export type CompressionCodec = (typeof Compression)[keyof typeof Compression];

export const NO_PRODUCER_ID = -1n;
export const NO_SEQUENCE = -1;

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

const TWO_32 = 2 ** 32;

/** An int64 as a number (exact below 2^53). */
export function readInt64(buf: Buffer, at: number): number {
  return buf.readInt32BE(at) * TWO_32 + buf.readUInt32BE(at + 4);
}

export function writeInt64(buf: Buffer, at: number, value: number): void {
  const high = Math.floor(value / TWO_32);
  buf.writeInt32BE(high, at);
  buf.writeUInt32BE(value - high * TWO_32, at + 4);
}

// ---- one field at a time -----------------------------------------------------------------------------

/** Whole size of the batch starting at `at` (length prefix included). */
export function batchSize(buf: Buffer, at = 0): number {
  return buf.readInt32BE(at + BatchOffset.batchLength) + BATCH_LENGTH_PREFIX;
}

export function baseOffsetOf(buf: Buffer, at = 0): number {
  return readInt64(buf, at + BatchOffset.baseOffset);
}

export function partitionLeaderEpochOf(buf: Buffer, at = 0): number {
  return buf.readInt32BE(at + BatchOffset.partitionLeaderEpoch);
}

export function magicOf(buf: Buffer, at = 0): number {
  return buf.readInt8(at + BatchOffset.magic);
}

export function crcOf(buf: Buffer, at = 0): number {
  return buf.readUInt32BE(at + BatchOffset.crc);
}

export function attributesOf(buf: Buffer, at = 0): number {
  return buf.readInt16BE(at + BatchOffset.attributes);
}

export function compressionOf(buf: Buffer, at = 0): CompressionCodec {
  return (attributesOf(buf, at) & Attributes.compressionMask) as CompressionCodec;
}

export function isTransactionalBatch(buf: Buffer, at = 0): boolean {
  return (attributesOf(buf, at) & Attributes.transactional) !== 0;
}

export function isControlBatch(buf: Buffer, at = 0): boolean {
  return (attributesOf(buf, at) & Attributes.control) !== 0;
}

export function lastOffsetDeltaOf(buf: Buffer, at = 0): number {
  return buf.readInt32BE(at + BatchOffset.lastOffsetDelta);
}

/** Offset of the last record: baseOffset + lastOffsetDelta. */
export function lastOffsetOf(buf: Buffer, at = 0): number {
  return baseOffsetOf(buf, at) + lastOffsetDeltaOf(buf, at);
}

export function maxTimestampOf(buf: Buffer, at = 0): number {
  return readInt64(buf, at + BatchOffset.maxTimestamp);
}

export function producerIdOf(buf: Buffer, at = 0): number {
  return readInt64(buf, at + BatchOffset.producerId);
}

export function producerEpochOf(buf: Buffer, at = 0): number {
  return buf.readInt16BE(at + BatchOffset.producerEpoch);
}

export function baseSequenceOf(buf: Buffer, at = 0): number {
  return buf.readInt32BE(at + BatchOffset.baseSequence);
}

export function recordCountOf(buf: Buffer, at = 0): number {
  return buf.readInt32BE(at + BatchOffset.recordCount);
}

/** CRC-32C of the batch at `at` as it should be stored, computed over its bytes. */
export function computeCrc(buf: Buffer, at = 0): number {
  return crc32c(buf, at + CRC_START, at + batchSize(buf, at));
}

// ---- the whole header ----------------------------------------------------------------------------------

/** Reads the header of the batch at `offset` in `records` (default: a batch view from splitBatches). */
export function readBatchInfo(records: Buffer, offset = 0): BatchInfo {
  if (records.length - offset < BATCH_HEADER_SIZE) {
    throw corrupt(
      `record batch at byte ${offset} is truncated: ${records.length - offset} bytes, header needs ${BATCH_HEADER_SIZE}`,
    );
  }
  const attributes = attributesOf(records, offset);
  return {
    baseOffset: records.readBigInt64BE(offset + BatchOffset.baseOffset),
    size: batchSize(records, offset),
    partitionLeaderEpoch: partitionLeaderEpochOf(records, offset),
    magic: magicOf(records, offset),
    crc: crcOf(records, offset),
    attributes,
    compression: (attributes & Attributes.compressionMask) as CompressionCodec,
    timestampType: attributes & Attributes.timestampTypeLogAppend ? 'LogAppendTime' : 'CreateTime',
    isTransactional: (attributes & Attributes.transactional) !== 0,
    isControl: (attributes & Attributes.control) !== 0,
    lastOffsetDelta: lastOffsetDeltaOf(records, offset),
    baseTimestamp: records.readBigInt64BE(offset + BatchOffset.baseTimestamp),
    maxTimestamp: records.readBigInt64BE(offset + BatchOffset.maxTimestamp),
    producerId: records.readBigInt64BE(offset + BatchOffset.producerId),
    producerEpoch: producerEpochOf(records, offset),
    baseSequence: baseSequenceOf(records, offset),
    recordCount: recordCountOf(records, offset),
  };
}

// ---- rewriting the broker-owned fields in place ------------------------------------------------------

/** Rewrites the base offset. The CRC does not cover it, so nothing else changes. */
export function assignOffsets(batch: Buffer, baseOffset: number | bigint, at = 0): void {
  if (typeof baseOffset === 'bigint') batch.writeBigInt64BE(baseOffset, at + BatchOffset.baseOffset);
  else writeInt64(batch, at + BatchOffset.baseOffset, baseOffset);
}

/** Rewrites the partition leader epoch (not covered by the CRC). */
export function setPartitionLeaderEpoch(batch: Buffer, epoch: number): void {
  batch.writeInt32BE(epoch, BatchOffset.partitionLeaderEpoch);
}

/**
 * Marks the batch as LogAppendTime with the given broker time as its max timestamp, then recomputes the
 * CRC. Record timestamps stay as sent; readers use maxTimestamp for every record.
 */
export function setLogAppendTime(batch: Buffer, timestamp: number | bigint): void {
  batch.writeInt16BE(attributesOf(batch) | Attributes.timestampTypeLogAppend, BatchOffset.attributes);
  if (typeof timestamp === 'bigint') batch.writeBigInt64BE(timestamp, BatchOffset.maxTimestamp);
  else writeInt64(batch, BatchOffset.maxTimestamp, timestamp);
  updateCrc(batch);
}

/** Sets attribute bits (the cleaner's delete horizon flag), then recomputes the CRC. */
export function addAttributes(batch: Buffer, bits: number): void {
  batch.writeInt16BE(attributesOf(batch) | bits, BatchOffset.attributes);
  updateCrc(batch);
}

/** Recomputes and stores the CRC of a batch that spans all of `batch`. */
export function updateCrc(batch: Buffer): void {
  batch.writeUInt32BE(crc32c(batch, CRC_START, batch.length), BatchOffset.crc);
}
