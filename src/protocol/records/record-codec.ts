// Record-level encoding and decoding of magic-2 batches, for compaction, the console and serdes
// readers (the produce path never decodes records).

import {
  Attributes,
  BATCH_HEADER_SIZE,
  BATCH_LENGTH_PREFIX,
  BatchOffset,
  Compression,
  CURRENT_MAGIC,
  readBatchInfo,
  updateCrc,
} from './batch-header.js';
import type { BatchInfo, CompressionCodec, TimestampType } from './batch-header.js';
import { splitBatches, validateBatch } from './batch.js';
import { compress, decompress } from './compression.js';
import { corrupt } from './errors.js';
import { RecordCursor, sizeOfVarint, sizeOfVarlong, writeVarint, writeVarlong } from './varint.js';

export interface RecordHeader {
  key: string;
  value: Buffer | null;
}

/** One decoded record. Keys, values and header values are views into the batch (or its decompressed records), not copies. */
export interface KafkaRecord {
  offset: bigint;
  timestamp: bigint;
  key: Buffer | null;
  value: Buffer | null;
  headers: RecordHeader[];
}

export interface DecodedBatch extends BatchInfo {
  records: KafkaRecord[];
}

export interface DecodeOptions {
  /** Check the CRC before decoding (default true). */
  verifyCrc?: boolean;
}

/** Decodes one whole batch (exactly the bytes of one batch) into its records, decompressing as needed. */
export function decodeBatch(batch: Buffer, options: DecodeOptions = {}): DecodedBatch {
  validateBatch(batch, { skipCrc: options.verifyCrc === false });
  const info = readBatchInfo(batch);
  const body = decompress(info.compression, batch.subarray(BATCH_HEADER_SIZE));
  // With LogAppendTime, every record takes the broker's time stored as the batch's max timestamp.
  const logAppendTime = info.timestampType === 'LogAppendTime' ? info.maxTimestamp : null;
  const cursor = new RecordCursor(body, 0, body.length);
  const records: KafkaRecord[] = new Array<KafkaRecord>(info.recordCount);
  for (let i = 0; i < info.recordCount; i++) {
    records[i] = decodeRecord(cursor, info, logAppendTime);
  }
  if (cursor.pos !== body.length) {
    throw corrupt(
      `record batch at offset ${info.baseOffset} has ${body.length - cursor.pos} bytes after its ${info.recordCount} records`,
    );
  }
  return { ...info, records };
}

/** Decodes every batch of a record set. A trailing partial batch (as fetch responses may carry) is ignored. */
export function decodeRecordSet(records: Buffer, options: DecodeOptions = {}): DecodedBatch[] {
  const batches = splitBatches(records, { allowPartialTail: true, skipCrc: options.verifyCrc === false });
  return batches.map((batch) => decodeBatch(batch, { verifyCrc: false }));
}

function decodeRecord(cursor: RecordCursor, info: BatchInfo, logAppendTime: bigint | null): KafkaRecord {
  const length = cursor.varint();
  const end = cursor.pos + length;
  if (length < 0 || end > cursor.end)
    throw corrupt(`record of ${length} bytes at byte ${cursor.pos} does not fit in its batch`);
  const recordCursor = new RecordCursor(cursor.buf, cursor.pos, end);
  recordCursor.int8(); // record attributes: unused by magic 2
  const timestampDelta = recordCursor.varlong();
  const offsetDelta = recordCursor.varint();
  const key = recordCursor.nullableBytes('a record key');
  const value = recordCursor.nullableBytes('a record value');
  const headerCount = recordCursor.varint();
  if (headerCount < 0) throw corrupt(`record has a negative header count ${headerCount}`);
  const headers: RecordHeader[] = [];
  for (let h = 0; h < headerCount; h++) {
    const headerKey = recordCursor.nullableBytes('a header key');
    if (headerKey === null) throw corrupt('record header has a null key');
    headers.push({ key: headerKey.toString('utf8'), value: recordCursor.nullableBytes('a header value') });
  }
  if (recordCursor.pos !== end)
    throw corrupt(`record declares ${length} bytes but its fields take ${recordCursor.pos - (end - length)}`);
  cursor.pos = end;
  return {
    offset: info.baseOffset + BigInt(offsetDelta),
    timestamp: logAppendTime ?? info.baseTimestamp + timestampDelta,
    key,
    value,
    headers,
  };
}

export type Bytes = Uint8Array | string;

export interface RecordInput {
  key?: Bytes | null;
  value?: Bytes | null;
  headers?: readonly { key: string; value: Bytes | null }[];
  /** Defaults to the record's index in the batch. Must increase. */
  offsetDelta?: number;
  /** Absolute timestamp (ms). Takes precedence over timestampDelta. */
  timestamp?: bigint | number;
  /** Relative to the batch's base timestamp. */
  timestampDelta?: bigint | number;
}

export interface EncodeBatchOptions {
  records: readonly RecordInput[];
  baseOffset?: bigint | number;
  compression?: CompressionCodec;
  /** Defaults to the first record's timestamp, else now (or -1 for an empty batch). */
  baseTimestamp?: bigint | number;
  /** Defaults to the largest record timestamp; for LogAppendTime pass the broker time here. */
  maxTimestamp?: bigint | number;
  /** Defaults to the last record's offset delta. Compaction passes the original to keep the batch's offset range. */
  lastOffsetDelta?: number;
  producerId?: bigint | number;
  producerEpoch?: number;
  baseSequence?: number;
  partitionLeaderEpoch?: number;
  isTransactional?: boolean;
  isControl?: boolean;
  timestampType?: TimestampType;
}

interface PreparedRecord {
  bodySize: number;
  timestampDelta: number | bigint;
  offsetDelta: number;
  key: Uint8Array | null;
  value: Uint8Array | null;
  headers: { key: Uint8Array; value: Uint8Array | null }[];
}

/** Encodes a complete magic-2 batch: lengths, max timestamp, compression and CRC. */
export function encodeBatch(options: EncodeBatchOptions): Buffer {
  const { records } = options;
  const codec = options.compression ?? Compression.none;
  const baseTimestamp = toBigint(options.baseTimestamp ?? firstTimestamp(records));
  let maxTimestamp = -1n;
  let previousDelta = -1;
  let bodyLength = 0;
  const prepared: PreparedRecord[] = records.map((record, index) => {
    const offsetDelta = record.offsetDelta ?? index;
    if (offsetDelta <= previousDelta)
      throw new RangeError(`record offset deltas must increase (record ${index} has ${offsetDelta})`);
    previousDelta = offsetDelta;
    const timestamp =
      record.timestamp !== undefined
        ? toBigint(record.timestamp)
        : baseTimestamp + toBigint(record.timestampDelta ?? 0);
    if (timestamp > maxTimestamp) maxTimestamp = timestamp;
    const prepared = prepareRecord(record, offsetDelta, narrow(timestamp - baseTimestamp));
    bodyLength += sizeOfVarint(prepared.bodySize) + prepared.bodySize;
    return prepared;
  });

  const body = Buffer.allocUnsafe(bodyLength);
  let pos = 0;
  for (const record of prepared) pos = writeRecord(body, pos, record);
  const payload = compress(codec, body);

  const batch = Buffer.allocUnsafe(BATCH_HEADER_SIZE + payload.length);
  let attributes: number = codec;
  if (options.timestampType === 'LogAppendTime') attributes |= Attributes.timestampTypeLogAppend;
  if (options.isTransactional) attributes |= Attributes.transactional;
  if (options.isControl) attributes |= Attributes.control;
  batch.writeBigInt64BE(toBigint(options.baseOffset ?? 0), BatchOffset.baseOffset);
  batch.writeInt32BE(batch.length - BATCH_LENGTH_PREFIX, BatchOffset.batchLength);
  batch.writeInt32BE(options.partitionLeaderEpoch ?? -1, BatchOffset.partitionLeaderEpoch);
  batch.writeInt8(CURRENT_MAGIC, BatchOffset.magic);
  batch.writeInt16BE(attributes, BatchOffset.attributes);
  batch.writeInt32BE(options.lastOffsetDelta ?? Math.max(previousDelta, 0), BatchOffset.lastOffsetDelta);
  batch.writeBigInt64BE(baseTimestamp, BatchOffset.baseTimestamp);
  batch.writeBigInt64BE(
    options.maxTimestamp !== undefined ? toBigint(options.maxTimestamp) : maxTimestamp,
    BatchOffset.maxTimestamp,
  );
  batch.writeBigInt64BE(toBigint(options.producerId ?? -1), BatchOffset.producerId);
  batch.writeInt16BE(options.producerEpoch ?? -1, BatchOffset.producerEpoch);
  batch.writeInt32BE(options.baseSequence ?? -1, BatchOffset.baseSequence);
  batch.writeInt32BE(records.length, BatchOffset.recordCount);
  payload.copy(batch, BATCH_HEADER_SIZE);
  updateCrc(batch);
  return batch;
}

function firstTimestamp(records: readonly RecordInput[]): bigint | number {
  if (records.length === 0) return -1;
  return records[0].timestamp ?? Date.now();
}

function prepareRecord(
  record: RecordInput,
  offsetDelta: number,
  timestampDelta: number | bigint,
): PreparedRecord {
  const key = toBytes(record.key ?? null);
  const value = toBytes(record.value ?? null);
  const headers = (record.headers ?? []).map((header) => ({
    key: Buffer.from(header.key, 'utf8'),
    value: toBytes(header.value),
  }));
  let bodySize = 1 + sizeOfVarlong(timestampDelta) + sizeOfVarint(offsetDelta);
  bodySize += sizeOfNullableBytes(key) + sizeOfNullableBytes(value) + sizeOfVarint(headers.length);
  for (const header of headers)
    bodySize += sizeOfNullableBytes(header.key) + sizeOfNullableBytes(header.value);
  return { bodySize, timestampDelta, offsetDelta, key, value, headers };
}

function writeRecord(buf: Buffer, start: number, record: PreparedRecord): number {
  let pos = writeVarint(buf, start, record.bodySize);
  buf[pos++] = 0; // record attributes
  pos = writeVarlong(buf, pos, record.timestampDelta);
  pos = writeVarint(buf, pos, record.offsetDelta);
  pos = writeNullableBytes(buf, pos, record.key);
  pos = writeNullableBytes(buf, pos, record.value);
  pos = writeVarint(buf, pos, record.headers.length);
  for (const header of record.headers) {
    pos = writeNullableBytes(buf, pos, header.key);
    pos = writeNullableBytes(buf, pos, header.value);
  }
  return pos;
}

function sizeOfNullableBytes(bytes: Uint8Array | null): number {
  return bytes === null ? 1 : sizeOfVarint(bytes.length) + bytes.length;
}

function writeNullableBytes(buf: Buffer, pos: number, bytes: Uint8Array | null): number {
  if (bytes === null) return writeVarint(buf, pos, -1);
  pos = writeVarint(buf, pos, bytes.length);
  buf.set(bytes, pos);
  return pos + bytes.length;
}

function toBytes(value: Bytes | null): Uint8Array | null {
  if (value === null) return null;
  return typeof value === 'string' ? Buffer.from(value, 'utf8') : value;
}

function toBigint(value: bigint | number): bigint {
  return typeof value === 'bigint' ? value : BigInt(value);
}

/** A delta as a plain number when that is exact, so the varlong writer can skip BigInt arithmetic. */
function narrow(value: bigint): number | bigint {
  return value >= -(2n ** 52n) && value <= 2n ** 52n ? Number(value) : value;
}
