import { describe, expect, it } from 'vitest';
import { ErrorCode } from '../../../src/protocol/error-codes.js';
import {
  assignOffsets,
  attributesOf,
  baseOffsetOf,
  baseSequenceOf,
  batchSize,
  BatchOffset,
  Compression,
  compressionOf,
  computeCrc,
  crcOf,
  isControlBatch,
  isTransactionalBatch,
  lastOffsetDeltaOf,
  lastOffsetOf,
  magicOf,
  maxTimestampOf,
  partitionLeaderEpochOf,
  producerEpochOf,
  producerIdOf,
  readBatchInfo,
  readInt64,
  recordCountOf,
  setLogAppendTime,
  setPartitionLeaderEpoch,
  updateCrc,
  writeInt64,
} from '../../../src/protocol/records/batch-header.js';
import { splitBatches, validateBatch } from '../../../src/protocol/records/batch.js';
import { InvalidRecordBatchError } from '../../../src/protocol/records/errors.js';
import { decodeBatch, encodeBatch } from '../../../src/protocol/records/record-codec.js';

function sampleBatch(count = 3, extra: Partial<Parameters<typeof encodeBatch>[0]> = {}): Buffer {
  return encodeBatch({
    records: Array.from({ length: count }, (_, i) => ({
      key: `k${i}`,
      value: `value ${i}`,
      timestamp: 1_700_000_000_000 + i,
    })),
    ...extra,
  });
}

function errorOf(run: () => unknown): InvalidRecordBatchError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidRecordBatchError);
    return error as InvalidRecordBatchError;
  }
  throw new Error('expected an InvalidRecordBatchError');
}

describe('splitBatches', () => {
  it('returns views of each batch of a multi-batch record set', () => {
    const a = sampleBatch(2);
    const b = sampleBatch(5, { compression: Compression.gzip, baseOffset: 2 });
    const c = sampleBatch(1);
    const set = Buffer.concat([a, b, c]);
    const batches = splitBatches(set);
    expect(batches.map((batch) => batch.length)).toEqual([a.length, b.length, c.length]);
    expect(batches[1].buffer).toBe(set.buffer); // a view, not a copy
    expect(batches[1].byteOffset).toBe(set.byteOffset + a.length);
    expect(readBatchInfo(batches[1]).recordCount).toBe(5);
  });

  it('returns nothing for an empty record set', () => {
    expect(splitBatches(Buffer.alloc(0))).toEqual([]);
  });

  it('detects a CRC mismatch as CORRUPT_MESSAGE', () => {
    const batch = sampleBatch();
    batch[batch.length - 2] ^= 0x01;
    const error = errorOf(() => splitBatches(batch));
    expect(error.errorCode).toBe(ErrorCode.CORRUPT_MESSAGE);
    expect(error.message).toMatch(/CRC/);
  });

  it('detects a damaged CRC-covered header field', () => {
    const batch = sampleBatch();
    batch[BatchOffset.maxTimestamp + 7] ^= 0xff;
    expect(errorOf(() => splitBatches(batch)).errorCode).toBe(ErrorCode.CORRUPT_MESSAGE);
  });

  it('detects a truncated batch', () => {
    const set = Buffer.concat([sampleBatch(), sampleBatch()]);
    const truncated = set.subarray(0, set.length - 10);
    const error = errorOf(() => splitBatches(truncated));
    expect(error.errorCode).toBe(ErrorCode.CORRUPT_MESSAGE);
    expect(error.message).toMatch(/truncated/);
    expect(errorOf(() => splitBatches(set.subarray(0, 5))).errorCode).toBe(ErrorCode.CORRUPT_MESSAGE);
  });

  it('can stop at a partial last batch, as fetch responses allow', () => {
    const first = sampleBatch();
    const set = Buffer.concat([first, sampleBatch()]);
    expect(splitBatches(set.subarray(0, set.length - 10), { allowPartialTail: true })).toHaveLength(1);
    expect(splitBatches(set.subarray(0, first.length + 5), { allowPartialTail: true })).toHaveLength(1);
  });

  it('rejects a length shorter than the header', () => {
    const batch = sampleBatch();
    batch.writeInt32BE(20, BatchOffset.batchLength);
    expect(errorOf(() => splitBatches(batch)).errorCode).toBe(ErrorCode.CORRUPT_MESSAGE);
  });

  it('rejects legacy magic with INVALID_RECORD and unknown magic as corrupt', () => {
    const legacy = sampleBatch();
    legacy.writeInt8(1, BatchOffset.magic);
    const error = errorOf(() => splitBatches(legacy));
    expect(error.errorCode).toBe(ErrorCode.INVALID_RECORD);
    expect(error.message).toMatch(/magic version 2/);
    const unknown = sampleBatch();
    unknown.writeInt8(7, BatchOffset.magic);
    expect(errorOf(() => splitBatches(unknown)).errorCode).toBe(ErrorCode.CORRUPT_MESSAGE);
  });

  it('rejects impossible record counts and offset deltas', () => {
    const negative = sampleBatch();
    negative.writeInt32BE(-1, BatchOffset.recordCount);
    updateCrc(negative);
    expect(errorOf(() => splitBatches(negative)).errorCode).toBe(ErrorCode.CORRUPT_MESSAGE);

    const tooMany = sampleBatch(3);
    tooMany.writeInt32BE(1000, BatchOffset.recordCount);
    tooMany.writeInt32BE(999, BatchOffset.lastOffsetDelta);
    updateCrc(tooMany);
    expect(errorOf(() => splitBatches(tooMany)).errorCode).toBe(ErrorCode.CORRUPT_MESSAGE);

    const squeezed = sampleBatch(3);
    squeezed.writeInt32BE(1, BatchOffset.lastOffsetDelta);
    updateCrc(squeezed);
    expect(errorOf(() => splitBatches(squeezed)).errorCode).toBe(ErrorCode.INVALID_RECORD);
  });

  it('applies the producer checks only when asked', () => {
    const gappy = encodeBatch({ records: [{ value: 'a' }, { value: 'b', offsetDelta: 5 }] });
    expect(splitBatches(gappy)).toHaveLength(1); // compacted batches have gaps
    expect(errorOf(() => splitBatches(gappy, { fromClient: true })).errorCode).toBe(ErrorCode.INVALID_RECORD);

    const empty = encodeBatch({ records: [] });
    expect(splitBatches(empty)).toHaveLength(1);
    expect(errorOf(() => splitBatches(empty, { fromClient: true })).message).toMatch(/no records/);

    const control = sampleBatch(1, { isControl: true });
    expect(errorOf(() => splitBatches(control, { fromClient: true })).message).toMatch(/control/);

    const noSequence = sampleBatch(1, { producerId: 7n, producerEpoch: 0, baseSequence: -1 });
    expect(errorOf(() => splitBatches(noSequence, { fromClient: true })).errorCode).toBe(
      ErrorCode.INVALID_RECORD,
    );

    const idempotent = sampleBatch(3, { producerId: 7n, producerEpoch: 0, baseSequence: 0 });
    expect(splitBatches(idempotent, { fromClient: true })).toHaveLength(1);
  });
});

describe('validateBatch', () => {
  it('requires the buffer to be exactly one batch', () => {
    const batch = sampleBatch();
    expect(() => validateBatch(batch)).not.toThrow();
    expect(errorOf(() => validateBatch(Buffer.concat([batch, Buffer.alloc(3)]))).errorCode).toBe(
      ErrorCode.CORRUPT_MESSAGE,
    );
  });
});

describe('readBatchInfo', () => {
  it('reads every header field', () => {
    const batch = encodeBatch({
      baseOffset: 100n,
      records: [
        { value: 'a', timestamp: 1000 },
        { value: 'b', timestamp: 3000 },
        { value: 'c', timestamp: 2000 },
      ],
      compression: Compression.snappy,
      producerId: 42n,
      producerEpoch: 3,
      baseSequence: 17,
      partitionLeaderEpoch: 9,
      isTransactional: true,
    });
    expect(readBatchInfo(batch)).toMatchObject({
      baseOffset: 100n,
      size: batch.length,
      partitionLeaderEpoch: 9,
      magic: 2,
      compression: Compression.snappy,
      timestampType: 'CreateTime',
      isTransactional: true,
      isControl: false,
      lastOffsetDelta: 2,
      baseTimestamp: 1000n,
      maxTimestamp: 3000n,
      producerId: 42n,
      producerEpoch: 3,
      baseSequence: 17,
      recordCount: 3,
    });
    expect(lastOffsetOf(batch)).toBe(102);
  });

  it('reads a batch in place inside a record set', () => {
    const first = sampleBatch(2);
    const set = Buffer.concat([first, sampleBatch(4, { baseOffset: 2 })]);
    expect(readBatchInfo(set, first.length)).toMatchObject({ baseOffset: 2n, recordCount: 4 });
    expect(batchSize(set, first.length)).toBe(set.length - first.length);
    expect(lastOffsetOf(set, first.length)).toBe(5);
  });

  it('reads every field one at a time as readBatchInfo does, with int64 fields as numbers', () => {
    const first = sampleBatch(1);
    const batch = sampleBatch(3, {
      baseOffset: 2 ** 40 + 5,
      producerId: 2n ** 33n + 1n,
      producerEpoch: 3,
      baseSequence: 17,
      partitionLeaderEpoch: 9,
      compression: Compression.gzip,
    });
    const set = Buffer.concat([first, batch]);
    const at = first.length;
    const info = readBatchInfo(set, at);
    expect({
      baseOffset: baseOffsetOf(set, at),
      size: batchSize(set, at),
      partitionLeaderEpoch: partitionLeaderEpochOf(set, at),
      magic: magicOf(set, at),
      crc: crcOf(set, at),
      attributes: attributesOf(set, at),
      compression: compressionOf(set, at),
      isTransactional: isTransactionalBatch(set, at),
      isControl: isControlBatch(set, at),
      lastOffsetDelta: lastOffsetDeltaOf(set, at),
      maxTimestamp: maxTimestampOf(set, at),
      producerId: producerIdOf(set, at),
      producerEpoch: producerEpochOf(set, at),
      baseSequence: baseSequenceOf(set, at),
      recordCount: recordCountOf(set, at),
    }).toEqual({
      baseOffset: Number(info.baseOffset),
      size: info.size,
      partitionLeaderEpoch: info.partitionLeaderEpoch,
      magic: info.magic,
      crc: info.crc,
      attributes: info.attributes,
      compression: info.compression,
      isTransactional: info.isTransactional,
      isControl: info.isControl,
      lastOffsetDelta: info.lastOffsetDelta,
      maxTimestamp: Number(info.maxTimestamp),
      producerId: Number(info.producerId),
      producerEpoch: info.producerEpoch,
      baseSequence: info.baseSequence,
      recordCount: info.recordCount,
    });
    expect(computeCrc(set, at)).toBe(info.crc);
  });

  it('reads and writes int64 values as numbers, negative ones included', () => {
    const buf = Buffer.alloc(8);
    for (const value of [0, 1, -1, 2 ** 32, 2 ** 32 - 1, -(2 ** 40) - 3, Number.MAX_SAFE_INTEGER]) {
      writeInt64(buf, 0, value);
      expect(buf.readBigInt64BE(0)).toBe(BigInt(value));
      expect(readInt64(buf, 0)).toBe(value);
    }
  });
});

describe('rewriting broker-owned fields', () => {
  it('assignOffsets changes the offsets without touching the CRC', () => {
    const batch = sampleBatch(3);
    const crc = batch.readUInt32BE(BatchOffset.crc);
    assignOffsets(batch, 5000n);
    expect(batch.readUInt32BE(BatchOffset.crc)).toBe(crc);
    expect(() => validateBatch(batch)).not.toThrow();
    expect(decodeBatch(batch).records.map((record) => record.offset)).toEqual([5000n, 5001n, 5002n]);
    assignOffsets(batch, 7);
    expect(readBatchInfo(batch).baseOffset).toBe(7n);
    assignOffsets(batch, 2 ** 40);
    expect(baseOffsetOf(batch)).toBe(2 ** 40);
  });

  it('setPartitionLeaderEpoch keeps the batch valid', () => {
    const batch = sampleBatch();
    setPartitionLeaderEpoch(batch, 12);
    expect(() => validateBatch(batch)).not.toThrow();
    expect(readBatchInfo(batch).partitionLeaderEpoch).toBe(12);
  });

  it('setLogAppendTime stamps the batch and keeps its CRC valid', () => {
    const batch = sampleBatch(3, { compression: Compression.lz4 });
    setLogAppendTime(batch, 1_800_000_000_000n);
    expect(() => validateBatch(batch)).not.toThrow();
    const decoded = decodeBatch(batch);
    expect(decoded.timestampType).toBe('LogAppendTime');
    expect(decoded.maxTimestamp).toBe(1_800_000_000_000n);
    expect(decoded.records.every((record) => record.timestamp === 1_800_000_000_000n)).toBe(true);
    expect(decoded.compression).toBe(Compression.lz4);
  });
});
