// Interop proof against an independent implementation: kafkajs's own record batch encoder and decoder.
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Compression, readBatchInfo } from '../../../src/protocol/records/batch-header.js';
import type { CompressionCodec } from '../../../src/protocol/records/batch-header.js';
import { splitBatches } from '../../../src/protocol/records/batch.js';
import { compress, decompress } from '../../../src/protocol/records/compression.js';
import { decodeBatch, encodeBatch } from '../../../src/protocol/records/record-codec.js';

const require = createRequire(import.meta.url);

interface KafkajsEncoder {
  buffer: Buffer;
}
interface KafkajsRecordInput {
  key: Buffer | string | null;
  value: Buffer | string | null;
  headers?: { [key: string]: Buffer | string };
  offsetDelta: number;
  timestampDelta: number;
}
interface KafkajsDecodedBatch {
  firstOffset: string;
  records: {
    offset: string;
    timestamp: string;
    key: Buffer | null;
    value: Buffer | null;
    headers: { [key: string]: Buffer };
  }[];
}
interface KafkajsCodec {
  compress(encoder: KafkajsEncoder): Promise<Buffer>;
  decompress(buffer: Buffer): Promise<Buffer>;
}

const kafkajsRecord = require('kafkajs/src/protocol/recordBatch/record/v0/index.js') as (
  record: KafkajsRecordInput,
) => KafkajsEncoder;
const { RecordBatch: kafkajsRecordBatch } = require('kafkajs/src/protocol/recordBatch/v0/index.js') as {
  RecordBatch(options: {
    compression: number;
    records: KafkajsEncoder[];
    firstOffset?: unknown;
    firstTimestamp: number;
    maxTimestamp: number;
    producerId?: unknown;
    producerEpoch?: number;
    firstSequence?: number;
    lastOffsetDelta: number;
  }): Promise<KafkajsEncoder>;
};
const KafkajsDecoder = require('kafkajs/src/protocol/decoder.js') as new (buffer: Buffer) => unknown;
const kafkajsDecodeBatch = require('kafkajs/src/protocol/recordBatch/v0/decoder.js') as (
  decoder: unknown,
) => Promise<KafkajsDecodedBatch>;
const { CompressionCodecs } = require('kafkajs') as {
  CompressionCodecs: { [codec: number]: () => KafkajsCodec };
};

const BASE_TIME = 1_700_000_000_000;
const MESSAGES = [
  { key: 'user-1', value: 'first', headers: { trace: 'abc', source: 'test' } },
  { key: null, value: 'second, no key' },
  { key: 'user-3', value: Buffer.from([0, 1, 2, 3, 254, 255]) },
  { key: 'big', value: 'payload '.repeat(5000) },
];

async function encodeWithKafkajs(compression: CompressionCodec): Promise<Buffer> {
  const records = MESSAGES.map((message, i) =>
    kafkajsRecord({ ...message, offsetDelta: i, timestampDelta: i * 10 }),
  );
  const batch = await kafkajsRecordBatch({
    compression,
    records,
    firstTimestamp: BASE_TIME,
    maxTimestamp: BASE_TIME + (MESSAGES.length - 1) * 10,
    lastOffsetDelta: records.length - 1,
  });
  return batch.buffer;
}

// kafkajs ships only gzip; snappy and lz4 are plugged in from Venice's codecs so its batch framing
// around compressed records is exercised too.
const pluggedCodecs = [Compression.snappy, Compression.lz4];
const originalCodecs = new Map<number, () => KafkajsCodec>();
beforeAll(() => {
  for (const codec of pluggedCodecs) {
    originalCodecs.set(codec, CompressionCodecs[codec]);
    CompressionCodecs[codec] = () => ({
      compress: async (encoder) => compress(codec, encoder.buffer),
      decompress: async (buffer) => decompress(codec, buffer),
    });
  }
});
afterAll(() => {
  for (const [codec, factory] of originalCodecs) CompressionCodecs[codec] = factory;
});

describe.each([
  ['none', Compression.none],
  ['gzip', Compression.gzip],
  ['snappy', Compression.snappy],
  ['lz4', Compression.lz4],
] as [string, CompressionCodec][])('kafkajs interop with %s', (_name, codec) => {
  it('Venice validates and decodes a batch kafkajs encoded', async () => {
    const batch = await encodeWithKafkajs(codec);
    expect(splitBatches(batch, { fromClient: true })).toHaveLength(1);
    expect(readBatchInfo(batch).compression).toBe(codec);
    const decoded = decodeBatch(batch);
    expect(decoded.records).toHaveLength(MESSAGES.length);
    decoded.records.forEach((record, i) => {
      const message = MESSAGES[i];
      expect(record.offset).toBe(BigInt(i));
      expect(record.timestamp).toBe(BigInt(BASE_TIME + i * 10));
      expect(record.key?.toString() ?? null).toBe(message.key);
      expect(record.value?.equals(Buffer.from(message.value))).toBe(true);
      const headers = Object.entries(message.headers ?? {}).map(([key, value]) => ({
        key,
        value: Buffer.from(value),
      }));
      expect(record.headers).toEqual(headers);
    });
  });

  it('kafkajs decodes a batch Venice encoded', async () => {
    const batch = encodeBatch({
      baseOffset: 500n,
      compression: codec,
      records: MESSAGES.map((message, i) => ({
        key: message.key,
        value: message.value,
        headers: Object.entries(message.headers ?? {}).map(([key, value]) => ({ key, value })),
        timestamp: BASE_TIME + i * 10,
      })),
    });
    const decoded = await kafkajsDecodeBatch(new KafkajsDecoder(batch));
    expect(decoded.firstOffset).toBe('500');
    expect(decoded.records).toHaveLength(MESSAGES.length);
    decoded.records.forEach((record, i) => {
      const message = MESSAGES[i];
      expect(record.offset).toBe(String(500 + i));
      expect(record.timestamp).toBe(String(BASE_TIME + i * 10));
      expect(record.key?.toString() ?? null).toBe(message.key);
      expect(record.value?.equals(Buffer.from(message.value))).toBe(true);
      for (const [key, value] of Object.entries(message.headers ?? {}))
        expect(record.headers[key].toString()).toBe(value);
    });
  });
});
