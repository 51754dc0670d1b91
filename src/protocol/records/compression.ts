// Record batch compression codecs:
// - gzip: node:zlib.
// - snappy: the `snappy` package (napi-rs, prebuilt binaries on npm) for raw blocks; xerial's stream
//   framing, which Java producers write, is unwrapped here.
// - lz4: lz4-napi (napi-rs over lz4_flex) writes and reads the LZ4 frame format; lz4-frame.ts checks
//   the framing and bounds the output first.
// - zstd: node:zlib where Node has it (22.15+); on older Node, @toondepauw/node-zstd compresses and
//   fzstd decompresses, streaming, so that the output bound holds.
// The native packages replaced lz4js and snappyjs because they were faster on Kafka batches in the
// same run (bench/codecs.mjs; docs/benchmarks.md, "Codecs"): on 1,000 records of 100 B, best of 31,
// lz4 compress 2.8x and decompress 25x, snappy 3.7x and 3.8x; on 10 records lz4 11x and 3x, snappy
// 2.5x and 1.45x. Under heavy machine load the medians of small snappy decompressions were mixed.

import { createRequire } from 'node:module';
import zlib from 'node:zlib';
import { Decompress as ZstdStream } from 'fzstd';
import type * as Lz4Package from 'lz4-napi';
import type * as SnappyPackage from 'snappy';
import { Compression } from './batch-header.js';
import type { CompressionCodec } from './batch-header.js';
import { corrupt } from './errors.js';
import { lz4FrameLayout } from './lz4-frame.js';

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
type ZstdDecompressSync = (data: Uint8Array, options: { maxOutputLength: number }) => Buffer;
interface ZstdPackage {
  Encoder: new (level: number) => { encodeSync(data: Buffer): Buffer };
}

/** node:zlib's zstd (Node 22.15+), absent from older typings and runtimes. */
const nodeZstd = zlib as unknown as {
  zstdCompressSync?: ZstdCompressSync;
  zstdDecompressSync?: ZstdDecompressSync;
};

/** The compression level librdkafka, Java and node:zlib default to. */
const ZSTD_LEVEL = 3;

const requireHere = createRequire(import.meta.url);

/**
 * A codec package with a native binary, loaded on first use: a host without its prebuilt binary then
 * fails that one codec, with a message that says what to do, instead of the whole broker at start-up.
 */
function lazyPackage<T>(name: string, use: string, alternative = ''): () => T {
  let loaded: T | undefined;
  return () => {
    if (loaded) return loaded;
    try {
      loaded = requireHere(name) as T;
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new Error(
        `${use} needs the package ${name}, which did not load on ${process.platform}-${process.arch} ` +
          `with Node.js ${process.version} (${reason}); reinstall dependencies with \`npm ci\`${alternative}`,
        { cause: error },
      );
    }
    return loaded;
  };
}

const lz4 = lazyPackage<typeof Lz4Package>('lz4-napi', 'lz4 compression');
const snappy = lazyPackage<typeof SnappyPackage>('snappy', 'snappy compression');
const zstdPackage = lazyPackage<ZstdPackage>(
  '@toondepauw/node-zstd',
  'zstd compression',
  ', or use Node.js 22.15 or later, whose zlib has zstd',
);

let libraryZstdCompress: ZstdCompressSync | undefined;

/** node:zlib's zstd where present, else @toondepauw/node-zstd (loaded only on such a Node). */
function zstdCompressor(): ZstdCompressSync {
  if (nodeZstd.zstdCompressSync) return nodeZstd.zstdCompressSync;
  if (!libraryZstdCompress) {
    const encoder = new (zstdPackage().Encoder)(ZSTD_LEVEL);
    libraryZstdCompress = (data) => encoder.encodeSync(asBuffer(data));
  }
  return libraryZstdCompress;
}

/** Whether zstd compression works here: always on Node 22.15+, elsewhere when the library's binary loads. */
export function canCompressZstd(): boolean {
  try {
    zstdCompressor();
    return true;
  } catch {
    return false;
  }
}

/** Which implementation compresses zstd here: node:zlib, or the library on Node before 22.15. */
export const zstdImplementation: 'node:zlib' | '@toondepauw/node-zstd' = nodeZstd.zstdCompressSync
  ? 'node:zlib'
  : '@toondepauw/node-zstd';

export function compress(codec: CompressionCodec, data: Buffer): Buffer {
  switch (codec) {
    case Compression.none:
      return data;
    case Compression.gzip:
      return zlib.gzipSync(data);
    case Compression.snappy:
      // Raw snappy, as librdkafka writes it; Java and librdkafka consumers both read it.
      return snappy().compressSync(data);
    case Compression.lz4:
      // LZ4 frames with independent 64 KiB blocks and a correct header checksum, as Java requires.
      return lz4().compressFrameSync(data);
    case Compression.zstd:
      return zstdCompressor()(data);
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
        return lz4DecompressBounded(data, maxBytes);
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
  return snappy().uncompressSync(data) as Buffer;
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

function lz4DecompressBounded(data: Buffer, maxBytes: number): Buffer {
  const { frames, maxContentBytes } = lz4FrameLayout(data);
  if (maxContentBytes > maxBytes)
    throw new Error(`LZ4 data may expand to ${maxContentBytes} bytes, more than the ${maxBytes} allowed`);
  const { decompressFrameSync } = lz4();
  if (frames.length === 1 && frames[0].length === data.length) return decompressFrameSync(data);
  const parts = frames.map((frame) => decompressFrameSync(asBuffer(frame)));
  return parts.length === 1 ? parts[0] : Buffer.concat(parts);
}

/** Native and bounded where node:zlib has zstd; otherwise streamed, so output beyond the bound is refused as it appears. */
function zstdDecompressBounded(data: Buffer, maxBytes: number): Buffer {
  if (nodeZstd.zstdDecompressSync) return nodeZstd.zstdDecompressSync(data, { maxOutputLength: maxBytes });
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
