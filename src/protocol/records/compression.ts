// Record batch compression codecs: gzip (node:zlib), snappy (snappyjs, raw or xerial-framed),
// lz4 (LZ4 frame format) and zstd (fzstd to decompress, node:zlib to compress where available).

import zlib from 'node:zlib';
import { Decompress as ZstdStream } from 'fzstd';
import { compress as snappyCompress, uncompress as snappyUncompress } from 'snappyjs';
import { Compression } from './batch-header.js';
import type { CompressionCodec } from './batch-header.js';
import { corrupt } from './errors.js';
import { lz4CompressFrame, lz4DecompressFrame } from './lz4-frame.js';

export const CODEC_NAMES: Record<CompressionCodec, string> = {
  [Compression.none]: 'none',
  [Compression.gzip]: 'gzip',
  [Compression.snappy]: 'snappy',
  [Compression.lz4]: 'lz4',
  [Compression.zstd]: 'zstd',
};

/** Looks up a codec by its Kafka name (compression.type), e.g. "lz4". */
export function codecByName(name: string): CompressionCodec | undefined {
  for (const [id, codecName] of Object.entries(CODEC_NAMES)) {
    if (codecName === name) return Number(id) as CompressionCodec;
  }
  return undefined;
}

type ZstdCompressSync = (data: Uint8Array) => Buffer;

/** Whether this Node can compress zstd (node:zlib gained it in 22.15). Decompression always works. */
export function canCompressZstd(): boolean {
  return typeof nodeZstdCompress() === 'function';
}

function nodeZstdCompress(): ZstdCompressSync | undefined {
  return (zlib as unknown as { zstdCompressSync?: ZstdCompressSync }).zstdCompressSync;
}

export function compress(codec: CompressionCodec, data: Buffer): Buffer {
  switch (codec) {
    case Compression.none:
      return data;
    case Compression.gzip:
      return zlib.gzipSync(data);
    case Compression.snappy:
      // Raw snappy, as librdkafka writes it; Java and librdkafka consumers both read it.
      return snappyCompress(data);
    case Compression.lz4:
      return lz4CompressFrame(data);
    case Compression.zstd: {
      const zstdCompressSync = nodeZstdCompress();
      if (!zstdCompressSync) {
        throw new Error(
          `zstd compression needs Node.js 22.15 or later (running ${process.version}); zstd decompression works on any version`,
        );
      }
      return zstdCompressSync(data);
    }
    default:
      throw new Error(`unknown compression codec id ${String(codec)}`);
  }
}

/**
 * The most a batch may expand to. A few hundred bytes of gzip can claim gigabytes; without a bound one
 * produce request could exhaust the broker's memory. Kafka's own default batch limit is about 1 MB.
 */
export const MAX_DECOMPRESSED_BYTES = 128 * 1024 * 1024;

/** Decompresses a batch's records section. Damaged or oversized input raises InvalidRecordBatchError (CORRUPT_MESSAGE). */
export function decompress(codec: CompressionCodec, data: Buffer, maxBytes = MAX_DECOMPRESSED_BYTES): Buffer {
  try {
    switch (codec) {
      case Compression.none:
        return data;
      case Compression.gzip:
        return zlib.gunzipSync(data, { maxOutputLength: maxBytes });
      case Compression.snappy:
        return snappyDecompress(data, maxBytes);
      case Compression.lz4:
        return lz4DecompressFrame(data, maxBytes);
      case Compression.zstd:
        return zstdDecompressBounded(data, maxBytes);
      default:
        throw new Error(`unknown compression codec id ${String(codec)}`);
    }
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw corrupt(`cannot decompress ${CODEC_NAMES[codec] ?? `codec ${String(codec)}`} records: ${reason}`);
  }
}

/** Java producers wrap snappy in xerial's stream framing: this header, two int32 versions, then length-prefixed raw blocks. */
const XERIAL_MAGIC = Buffer.from([0x82, 0x53, 0x4e, 0x41, 0x50, 0x50, 0x59, 0x00]);
const XERIAL_HEADER_SIZE = XERIAL_MAGIC.length + 8;

/** Raw snappy starts with the uncompressed length as a varint: refuse a bomb before allocating for it. */
function snappyRaw(data: Buffer, maxBytes: number): Buffer {
  let length = 0;
  for (let i = 0, scale = 1; i < 5 && i < data.length; i++, scale *= 128) {
    length += (data[i] & 0x7f) * scale;
    if (data[i] < 0x80) break;
  }
  if (length > maxBytes)
    throw new Error(`snappy data claims ${length} bytes, more than the ${maxBytes} allowed`);
  return snappyUncompress(data);
}

function snappyDecompress(data: Buffer, maxBytes: number): Buffer {
  if (data.length < XERIAL_HEADER_SIZE || !data.subarray(0, XERIAL_MAGIC.length).equals(XERIAL_MAGIC)) {
    return snappyRaw(data, maxBytes);
  }
  const blocks: Buffer[] = [];
  let total = 0;
  let pos = XERIAL_HEADER_SIZE;
  while (pos < data.length) {
    if (pos + 4 > data.length) throw new Error('xerial snappy block length is truncated');
    const blockLength = data.readInt32BE(pos);
    pos += 4;
    if (blockLength < 0 || pos + blockLength > data.length)
      throw new Error(`xerial snappy block of ${blockLength} bytes is truncated`);
    const block = snappyRaw(data.subarray(pos, pos + blockLength), maxBytes - total);
    blocks.push(block);
    total += block.length;
    pos += blockLength;
  }
  return blocks.length === 1 ? blocks[0] : Buffer.concat(blocks, total);
}

/** Streams zstd so that output beyond the bound is refused as it appears, not after it was all allocated. */
function zstdDecompressBounded(data: Buffer, maxBytes: number): Buffer {
  const chunks: Buffer[] = [];
  let total = 0;
  const stream = new ZstdStream((chunk) => {
    total += chunk.length;
    if (total > maxBytes) throw new Error(`zstd data expands beyond ${maxBytes} bytes`);
    chunks.push(asBuffer(chunk));
  });
  stream.push(data, true);
  return chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, total);
}

function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
}
