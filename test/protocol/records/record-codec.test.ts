import { describe, expect, it } from 'vitest';
import { ErrorCode } from '../../../src/protocol/error-codes.js';
import {
  BATCH_HEADER_SIZE,
  Compression,
  readBatchInfo,
  updateCrc,
} from '../../../src/protocol/records/batch-header.js';
import type { CompressionCodec } from '../../../src/protocol/records/batch-header.js';
import { splitBatches } from '../../../src/protocol/records/batch.js';
import { canCompressZstd } from '../../../src/protocol/records/compression.js';
import {
  ControlRecordType,
  controlRecordKey,
  controlRecordValue,
  readControlRecordType,
} from '../../../src/protocol/records/control-record.js';
import { InvalidRecordBatchError } from '../../../src/protocol/records/errors.js';
import { decodeBatch, decodeRecordSet, encodeBatch } from '../../../src/protocol/records/record-codec.js';
import type { RecordInput } from '../../../src/protocol/records/record-codec.js';

const BASE_TIME = 1_700_000_000_000;

const SAMPLE_RECORDS: RecordInput[] = [
  { key: 'user-1', value: '{"name":"Ada"}', timestamp: BASE_TIME, headers: [{ key: 'trace', value: 'abc' }] },
  { key: null, value: Buffer.from([0, 1, 2, 255]), timestamp: BASE_TIME + 5 },
  { key: 'tombstone', value: null, timestamp: BASE_TIME - 20, headers: [] },
  {
    key: Buffer.alloc(0),
    value: Buffer.alloc(0),
    timestamp: BASE_TIME + 1,
    headers: [
      { key: 'nullable', value: null },
      { key: 'ünïcode', value: Buffer.from('héllo') },
      { key: 'nullable', value: 'again' },
    ],
  },
  { key: 'big', value: 'x'.repeat(200_000), timestamp: BASE_TIME + 2 },
];

const CODECS: [string, CompressionCodec][] = [
  ['none', Compression.none],
  ['gzip', Compression.gzip],
  ['snappy', Compression.snappy],
  ['lz4', Compression.lz4],
  ...(canCompressZstd() ? ([['zstd', Compression.zstd]] as [string, CompressionCodec][]) : []),
];

function asBuffer(value: string | Uint8Array | null | undefined): Buffer | null {
  if (value === null || value === undefined) return null;
  return typeof value === 'string' ? Buffer.from(value) : Buffer.from(value);
}

function sameBytes(a: Buffer | null, b: Buffer | null): boolean {
  return a === null || b === null ? a === b : a.equals(b);
}

describe.each(CODECS)('encode/decode round trip with %s', (_name, codec) => {
  it('keeps keys, values, headers, nulls, offsets and timestamps', () => {
    const batch = encodeBatch({ baseOffset: 1000n, records: SAMPLE_RECORDS, compression: codec });
    expect(splitBatches(batch)).toHaveLength(1);
    const decoded = decodeBatch(batch);
    expect(decoded.compression).toBe(codec);
    expect(decoded.recordCount).toBe(SAMPLE_RECORDS.length);
    expect(decoded.baseTimestamp).toBe(BigInt(BASE_TIME));
    expect(decoded.maxTimestamp).toBe(BigInt(BASE_TIME + 5));
    expect(decoded.lastOffsetDelta).toBe(SAMPLE_RECORDS.length - 1);
    decoded.records.forEach((record, i) => {
      const input = SAMPLE_RECORDS[i];
      expect(record.offset).toBe(1000n + BigInt(i));
      expect(record.timestamp).toBe(BigInt(input.timestamp ?? 0));
      expect(record.key).toEqual(asBuffer(input.key));
      // Compared with equals(): deep equality over a 200 kB buffer is slow.
      expect(sameBytes(record.value, asBuffer(input.value))).toBe(true);
      expect(record.headers).toEqual(
        (input.headers ?? []).map((h) => ({ key: h.key, value: asBuffer(h.value) })),
      );
    });
    if (codec !== Compression.none) expect(batch.length).toBeLessThan(50_000);
  });
});

describe('encodeBatch', () => {
  it('writes the producer fields and flags', () => {
    const batch = encodeBatch({
      records: [{ value: 'a' }],
      producerId: 5n,
      producerEpoch: 2,
      baseSequence: 40,
      partitionLeaderEpoch: 3,
      isTransactional: true,
      timestampType: 'LogAppendTime',
      maxTimestamp: 99,
    });
    expect(readBatchInfo(batch)).toMatchObject({
      producerId: 5n,
      producerEpoch: 2,
      baseSequence: 40,
      partitionLeaderEpoch: 3,
      isTransactional: true,
      timestampType: 'LogAppendTime',
      maxTimestamp: 99n,
    });
    expect(decodeBatch(batch).records[0].timestamp).toBe(99n);
  });

  it('defaults to no producer, no leader epoch and a timestamp of now', () => {
    const before = BigInt(Date.now());
    const info = decodeBatch(encodeBatch({ records: [{ value: 'a' }] }));
    expect(info).toMatchObject({
      producerId: -1n,
      producerEpoch: -1,
      baseSequence: -1,
      partitionLeaderEpoch: -1,
    });
    expect(info.records[0].timestamp).toBeGreaterThanOrEqual(before);
  });

  it('supports explicit offset and timestamp deltas, including large and negative ones', () => {
    const batch = encodeBatch({
      baseOffset: 10,
      baseTimestamp: 5_000_000n,
      lastOffsetDelta: 20,
      records: [
        { value: 'a', offsetDelta: 0, timestampDelta: -4_000_000n },
        { value: 'b', offsetDelta: 7, timestampDelta: 2n ** 60n },
        { value: 'c', offsetDelta: 19, timestamp: -1 },
      ],
    });
    const decoded = decodeBatch(batch);
    expect(decoded.lastOffsetDelta).toBe(20);
    expect(decoded.records.map((r) => r.offset)).toEqual([10n, 17n, 29n]);
    expect(decoded.records.map((r) => r.timestamp)).toEqual([1_000_000n, 5_000_000n + 2n ** 60n, -1n]);
    expect(decoded.maxTimestamp).toBe(5_000_000n + 2n ** 60n);
  });

  it('encodes an empty batch', () => {
    const decoded = decodeBatch(encodeBatch({ records: [] }));
    expect(decoded.records).toEqual([]);
    expect(decoded.maxTimestamp).toBe(-1n);
  });

  it('refuses offset deltas that do not increase', () => {
    expect(() => encodeBatch({ records: [{ offsetDelta: 3 }, { offsetDelta: 3 }] })).toThrow(RangeError);
  });

  it('encodes control batches with transaction markers', () => {
    const batch = encodeBatch({
      records: [{ key: controlRecordKey(ControlRecordType.commit), value: controlRecordValue(4) }],
      isControl: true,
      isTransactional: true,
      producerId: 1n,
      producerEpoch: 0,
    });
    const decoded = decodeBatch(batch);
    expect(decoded.isControl).toBe(true);
    expect(readControlRecordType(decoded.records[0].key)).toBe(ControlRecordType.commit);
    expect(decoded.records[0].value?.readInt32BE(2)).toBe(4);
  });
});

describe('decodeBatch', () => {
  it('detects records that overrun the batch', () => {
    const batch = encodeBatch({ records: [{ key: 'k', value: 'some value' }] });
    batch[BATCH_HEADER_SIZE] = 0x7e; // record length varint: 63 bytes, far more than present
    updateCrc(batch);
    const error = (() => {
      try {
        decodeBatch(batch);
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(InvalidRecordBatchError);
    expect((error as InvalidRecordBatchError).errorCode).toBe(ErrorCode.CORRUPT_MESSAGE);
  });

  it('reports undecompressable data as corrupt', () => {
    const batch = encodeBatch({ records: [{ value: 'abc'.repeat(50) }], compression: Compression.gzip });
    batch.fill(0x11, BATCH_HEADER_SIZE, BATCH_HEADER_SIZE + 12);
    updateCrc(batch);
    expect(() => decodeBatch(batch)).toThrow(/cannot decompress gzip/);
  });

  it('checks the CRC unless told not to', () => {
    const batch = encodeBatch({ records: [{ value: 'abc' }] });
    batch[batch.length - 1] ^= 1; // header count: 0 becomes -1
    expect(() => decodeBatch(batch)).toThrow(/CRC/);
    expect(() => decodeBatch(batch, { verifyCrc: false })).toThrow(/negative header count/);
  });

  it('decodes a whole record set, ignoring a partial tail', () => {
    const set = Buffer.concat([
      encodeBatch({ baseOffset: 0, records: [{ value: 'a' }, { value: 'b' }] }),
      encodeBatch({ baseOffset: 2, records: [{ value: 'c' }], compression: Compression.snappy }),
      encodeBatch({ baseOffset: 3, records: [{ value: 'd' }] }).subarray(0, 30),
    ]);
    const batches = decodeRecordSet(set);
    expect(batches.flatMap((b) => b.records.map((r) => [r.offset, r.value?.toString()]))).toEqual([
      [0n, 'a'],
      [1n, 'b'],
      [2n, 'c'],
    ]);
  });
});
