// The body of a Produce v11 request, with its record batches, written in one pass into one Buffer.
//
// Why not protocol's encodeBatch: it is the general encoder (any offset delta, compression, control
// batches), and it prepares an object and computes bigint timestamps for each record before writing.
// Producing 1M records of 100 B, that garbage was a large part of the time (docs/benchmarks.md, Client).
// Here each record is sized once (the sizes kept in a reused scratch array), then written straight
// into its batch inside the request: no per-record object, no bigint, no copy of a batch into the request.
// Uncompressed batches only. Non-transactional unless a ProducerStamp is given: the transactional
// producer (transactional-producer.ts) stamps its batches with its producer id, epoch and sequences.
import {
  Attributes,
  BATCH_HEADER_SIZE,
  BATCH_LENGTH_PREFIX,
  BatchOffset,
  CURRENT_MAGIC,
  computeCrc,
  NO_SEQUENCE,
  writeInt64,
} from '../protocol/records/batch-header.js';
import { sizeOfVarint, sizeOfVarlong, writeVarint, writeVarlong } from '../protocol/records/varint.js';
import type { Acks, ProduceRecord } from './types.js';

export interface PartitionRecords {
  partition: number;
  records: ProduceRecord[];
}

export interface TopicRecords {
  topic: string;
  partitions: PartitionRecords[];
}

/** A transactional producer's identity, written into the request and each of its batches. */
export interface ProducerStamp {
  transactionalId: string;
  producerId: bigint;
  producerEpoch: number;
  /** The base sequence for a batch of `count` records to this partition (and advances it). */
  nextSequence(topic: string, partition: number, count: number): number;
}

/** Record body sizes of the request being written, reused from one request to the next. */
let recordSizes = new Int32Array(16_384);

/**
 * Writes a Produce v11 body (everything after the request header): one batch per partition, with
 * offset deltas 0, 1, 2, ... and the timestamp `now` for records that have none.
 */
export function writeProduceBody(
  acks: Acks,
  timeoutMs: number,
  topics: readonly TopicRecords[],
  now: number = Date.now(),
  stamp?: ProducerStamp,
): Buffer {
  let total = 0;
  for (const topic of topics) for (const entry of topic.partitions) total += entry.records.length;
  if (recordSizes.length < total) recordSizes = new Int32Array(total * 2);

  // Pass 1: sizes.
  const transactionalIdBytes = stamp ? Buffer.byteLength(stamp.transactionalId, 'utf8') : -1;
  let size = 2 + 4 + sizeOfUnsigned(topics.length + 1) + 1; // acks, timeout, array, tags
  size += transactionalIdBytes < 0 ? 1 : sizeOfUnsigned(transactionalIdBytes + 1) + transactionalIdBytes;
  let next = 0;
  for (const topic of topics) {
    const nameBytes = Buffer.byteLength(topic.topic, 'utf8');
    size += sizeOfUnsigned(nameBytes + 1) + nameBytes + sizeOfUnsigned(topic.partitions.length + 1) + 1;
    for (const entry of topic.partitions) {
      const batchBytes = BATCH_HEADER_SIZE + sizeRecords(entry.records, next, now);
      next += entry.records.length;
      size += 4 + sizeOfUnsigned(batchBytes + 1) + batchBytes + 1; // index, records, tags
    }
  }

  // Pass 2: bytes.
  const body = Buffer.allocUnsafe(size);
  let pos = 0;
  if (stamp) {
    pos = writeUnsigned(body, pos, transactionalIdBytes + 1);
    pos += body.write(stamp.transactionalId, pos, 'utf8');
  } else body[pos++] = 0; // transactional id: null
  body.writeInt16BE(acks, pos);
  body.writeInt32BE(timeoutMs, pos + 2);
  pos = writeUnsigned(body, pos + 6, topics.length + 1);
  next = 0;
  for (const topic of topics) {
    const nameBytes = Buffer.byteLength(topic.topic, 'utf8');
    pos = writeUnsigned(body, pos, nameBytes + 1);
    pos += body.write(topic.topic, pos, 'utf8');
    pos = writeUnsigned(body, pos, topic.partitions.length + 1);
    for (const entry of topic.partitions) {
      body.writeInt32BE(entry.partition, pos);
      let batchBytes = BATCH_HEADER_SIZE;
      for (let index = 0; index < entry.records.length; index++) {
        const bodySize = recordSizes[next + index];
        batchBytes += sizeOfVarint(bodySize) + bodySize;
      }
      pos = writeUnsigned(body, pos + 4, batchBytes + 1);
      const batchStart = pos;
      pos = writeBatch(body, pos, entry.records, next, now);
      if (stamp) stampBatch(body, batchStart, stamp, topic.topic, entry);
      next += entry.records.length;
      body[pos++] = 0; // partition tags
    }
    body[pos++] = 0; // topic tags
  }
  body[pos++] = 0; // request tags
  if (pos !== size) throw new Error(`produce request sized ${size} bytes but ${pos} were written`);
  return body;
}

/** Marks a written batch transactional with the producer's id, epoch and sequence; the CRC is redone. */
function stampBatch(
  buf: Buffer,
  start: number,
  stamp: ProducerStamp,
  topic: string,
  entry: PartitionRecords,
): void {
  buf.writeInt16BE(Attributes.transactional, start + BatchOffset.attributes);
  buf.writeBigInt64BE(stamp.producerId, start + BatchOffset.producerId);
  buf.writeInt16BE(stamp.producerEpoch, start + BatchOffset.producerEpoch);
  const sequence = stamp.nextSequence(topic, entry.partition, entry.records.length);
  buf.writeInt32BE(sequence, start + BatchOffset.baseSequence);
  buf.writeUInt32BE(computeCrc(buf, start), start + BatchOffset.crc);
}

function baseTimestampOf(records: readonly ProduceRecord[], now: number): number {
  const first = records[0].timestamp;
  return first === undefined ? now : Number(first);
}

/** Sizes the records of one batch into recordSizes[first...]; returns their bytes in the batch. */
function sizeRecords(records: readonly ProduceRecord[], first: number, now: number): number {
  const base = baseTimestampOf(records, now);
  let bytes = 0;
  for (let index = 0; index < records.length; index++) {
    const record = records[index];
    const timestamp = record.timestamp;
    const delta = timestamp === undefined ? now - base : Number(timestamp) - base;
    let bodySize = 1 + sizeOfVarlong(delta) + sizeOfVarint(index);
    bodySize += sizeOfBytes(record.key) + sizeOfBytes(record.value);
    const headers = record.headers;
    if (headers === undefined) bodySize += 1;
    else {
      bodySize += sizeOfVarint(headers.length);
      for (const header of headers) {
        const keyBytes = Buffer.byteLength(header.key, 'utf8');
        bodySize += sizeOfVarint(keyBytes) + keyBytes + sizeOfBytes(header.value);
      }
    }
    recordSizes[first + index] = bodySize;
    bytes += sizeOfVarint(bodySize) + bodySize;
  }
  return bytes;
}

/** Writes one whole batch at `start`, CRC included; returns where it ends. */
function writeBatch(
  buf: Buffer,
  start: number,
  records: readonly ProduceRecord[],
  first: number,
  now: number,
): number {
  const base = baseTimestampOf(records, now);
  let maxTimestamp = -1;
  let pos = start + BATCH_HEADER_SIZE;
  for (let index = 0; index < records.length; index++) {
    const record = records[index];
    const timestamp = record.timestamp === undefined ? now : Number(record.timestamp);
    if (timestamp > maxTimestamp) maxTimestamp = timestamp;
    pos = writeVarint(buf, pos, recordSizes[first + index]);
    buf[pos++] = 0; // record attributes
    pos = writeVarlong(buf, pos, timestamp - base);
    pos = writeVarint(buf, pos, index);
    pos = writeBytes(buf, pos, record.key);
    pos = writeBytes(buf, pos, record.value);
    const headers = record.headers;
    if (headers === undefined) buf[pos++] = 0;
    else {
      pos = writeVarint(buf, pos, headers.length);
      for (const header of headers) {
        const keyBytes = Buffer.byteLength(header.key, 'utf8');
        pos = writeVarint(buf, pos, keyBytes);
        pos += buf.write(header.key, pos, 'utf8');
        pos = writeBytes(buf, pos, header.value);
      }
    }
  }
  writeInt64(buf, start + BatchOffset.baseOffset, 0);
  buf.writeInt32BE(pos - start - BATCH_LENGTH_PREFIX, start + BatchOffset.batchLength);
  buf.writeInt32BE(-1, start + BatchOffset.partitionLeaderEpoch);
  buf[start + BatchOffset.magic] = CURRENT_MAGIC;
  buf.writeInt16BE(0, start + BatchOffset.attributes); // no compression, CreateTime, not transactional
  buf.writeInt32BE(records.length - 1, start + BatchOffset.lastOffsetDelta);
  writeInt64(buf, start + BatchOffset.baseTimestamp, base);
  writeInt64(buf, start + BatchOffset.maxTimestamp, maxTimestamp);
  writeInt64(buf, start + BatchOffset.producerId, -1);
  buf.writeInt16BE(-1, start + BatchOffset.producerEpoch);
  buf.writeInt32BE(NO_SEQUENCE, start + BatchOffset.baseSequence);
  buf.writeInt32BE(records.length, start + BatchOffset.recordCount);
  buf.writeUInt32BE(computeCrc(buf, start), start + BatchOffset.crc);
  return pos;
}

function sizeOfBytes(bytes: Uint8Array | null | undefined): number {
  return bytes ? sizeOfVarint(bytes.length) + bytes.length : 1;
}

function writeBytes(buf: Buffer, pos: number, bytes: Uint8Array | null | undefined): number {
  if (!bytes) {
    buf[pos] = 1; // ZigZag -1: null
    return pos + 1;
  }
  pos = writeVarint(buf, pos, bytes.length);
  buf.set(bytes, pos);
  return pos + bytes.length;
}

/** Unsigned varints, as compact lengths use them. */
function sizeOfUnsigned(value: number): number {
  let size = 1;
  while (value >= 0x80) {
    value >>>= 7;
    size++;
  }
  return size;
}

function writeUnsigned(buf: Buffer, pos: number, value: number): number {
  while (value >= 0x80) {
    buf[pos++] = (value & 0x7f) | 0x80;
    value >>>= 7;
  }
  buf[pos++] = value;
  return pos;
}
