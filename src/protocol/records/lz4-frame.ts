// The LZ4 frame format as Kafka uses it for magic-2 batches. lz4js supplies the block compressor
// and xxHash32; the framing is written here because Java's reader insists on the block-independence
// flag (lz4js's own framing leaves it unset) and lz4js's frame reader misreads content sizes.

import { compressBlock, compressBound } from 'lz4js';
import { hash as xxh32 } from 'lz4js/xxh32.js';

const FRAME_MAGIC = 0x184d2204;
const SKIPPABLE_MAGIC_MASK = 0xfffffff0;
const SKIPPABLE_MAGIC = 0x184d2a50;
const FLAG_VERSION_MASK = 0xc0;
const FLAG_VERSION_1 = 0x40;
const FLAG_BLOCK_INDEPENDENCE = 0x20;
const FLAG_BLOCK_CHECKSUM = 0x10;
const FLAG_CONTENT_SIZE = 0x08;
const FLAG_CONTENT_CHECKSUM = 0x04;
const FLAG_DICTIONARY_ID = 0x01;
const BLOCK_SIZE_64KB_DESCRIPTOR = 4 << 4;
const BLOCK_UNCOMPRESSED = 0x80000000;
const MIN_MATCH = 4;
const HASH_TABLE_SIZE = 1 << 16;
/**
 * Input bytes per block. A little under 64 KiB: lz4js may start its last match up to 10 bytes before
 * the block end where the LZ4 spec asks for 12, which strict decoders reject only when the block
 * fills their whole output buffer. Staying below the advertised maximum keeps that from happening.
 */
const BLOCK_INPUT_SIZE = 65536 - 16;

export function lz4CompressFrame(data: Uint8Array): Buffer {
  const blockCount = Math.ceil(data.length / BLOCK_INPUT_SIZE);
  const out = Buffer.allocUnsafe(7 + blockCount * (4 + compressBound(BLOCK_INPUT_SIZE)) + 4);
  out.writeUInt32LE(FRAME_MAGIC, 0);
  out[4] = FLAG_VERSION_1 | FLAG_BLOCK_INDEPENDENCE;
  out[5] = BLOCK_SIZE_64KB_DESCRIPTOR;
  out[6] = (xxh32(0, out, 4, 2) >>> 8) & 0xff;
  let pos = 7;
  const scratch = new Uint8Array(compressBound(BLOCK_INPUT_SIZE));
  const hashTable = new Uint32Array(HASH_TABLE_SIZE);
  for (let start = 0; start < data.length; start += BLOCK_INPUT_SIZE) {
    const block = data.subarray(start, Math.min(start + BLOCK_INPUT_SIZE, data.length));
    // A fresh table per block keeps matches inside the block, which block independence promises.
    hashTable.fill(0);
    const compressedLength = compressBlock(block, scratch, 0, block.length, hashTable);
    if (compressedLength > 0 && compressedLength < block.length) {
      out.writeUInt32LE(compressedLength, pos);
      out.set(scratch.subarray(0, compressedLength), pos + 4);
      pos += 4 + compressedLength;
    } else {
      out.writeUInt32LE((block.length | BLOCK_UNCOMPRESSED) >>> 0, pos);
      out.set(block, pos + 4);
      pos += 4 + block.length;
    }
  }
  out.writeUInt32LE(0, pos);
  return out.subarray(0, pos + 4);
}

/** Decodes one or more concatenated LZ4 frames, with bounds checks on every step. */
export function lz4DecompressFrame(src: Uint8Array, maxBytes = Number.MAX_SAFE_INTEGER): Buffer {
  const out = new GrowableBytes(Math.min(Math.max(src.length * 4, 1024), maxBytes), maxBytes);
  let pos = 0;
  while (pos < src.length) {
    if (pos + 4 > src.length) throw new Error('LZ4 frame magic is truncated');
    const magic = readU32LE(src, pos);
    if ((magic & SKIPPABLE_MAGIC_MASK) >>> 0 === SKIPPABLE_MAGIC) {
      pos += 8 + readU32LE(src, pos + 4);
      continue;
    }
    if (magic !== FRAME_MAGIC) throw new Error(`not an LZ4 frame (magic 0x${magic.toString(16)})`);
    pos = decodeFrame(src, pos + 4, out);
  }
  return out.result();
}

function decodeFrame(src: Uint8Array, start: number, out: GrowableBytes): number {
  let pos = start;
  if (pos + 2 > src.length) throw new Error('LZ4 frame descriptor is truncated');
  const flags = src[pos];
  if ((flags & FLAG_VERSION_MASK) !== FLAG_VERSION_1)
    throw new Error(`unsupported LZ4 frame version in flags 0x${flags.toString(16)}`);
  if (flags & FLAG_DICTIONARY_ID) throw new Error('LZ4 frames with a dictionary are not supported');
  pos += 2; // flags and block descriptor; blocks are decoded into one growing output, so the maximum size is not needed
  if (flags & FLAG_CONTENT_SIZE) pos += 8;
  pos += 1; // header checksum
  for (;;) {
    if (pos + 4 > src.length) throw new Error('LZ4 block size is truncated');
    const word = readU32LE(src, pos);
    pos += 4;
    if (word === 0) break;
    const length = word & ~BLOCK_UNCOMPRESSED;
    if (pos + length > src.length) throw new Error(`LZ4 block of ${length} bytes is truncated`);
    if (word & BLOCK_UNCOMPRESSED) out.append(src, pos, length);
    else decodeBlock(src, pos, pos + length, out);
    pos += length;
    if (flags & FLAG_BLOCK_CHECKSUM) pos += 4;
  }
  if (flags & FLAG_CONTENT_CHECKSUM) pos += 4;
  if (pos > src.length) throw new Error('LZ4 frame checksum is truncated');
  return pos;
}

function decodeBlock(src: Uint8Array, start: number, end: number, out: GrowableBytes): void {
  let pos = start;
  while (pos < end) {
    const token = src[pos++];
    let literalLength = token >>> 4;
    if (literalLength === 15) {
      let extra: number;
      do {
        if (pos >= end) throw new Error('LZ4 literal length is truncated');
        extra = src[pos++];
        literalLength += extra;
      } while (extra === 255);
    }
    if (pos + literalLength > end) throw new Error('LZ4 literals run past the block');
    out.append(src, pos, literalLength);
    pos += literalLength;
    if (pos === end) break; // the last sequence has literals only
    if (pos + 2 > end) throw new Error('LZ4 match offset is truncated');
    const offset = src[pos] | (src[pos + 1] << 8);
    pos += 2;
    let matchLength = token & 15;
    if (matchLength === 15) {
      let extra: number;
      do {
        if (pos >= end) throw new Error('LZ4 match length is truncated');
        extra = src[pos++];
        matchLength += extra;
      } while (extra === 255);
    }
    out.copyMatch(offset, matchLength + MIN_MATCH);
  }
}

function readU32LE(src: Uint8Array, pos: number): number {
  return (src[pos] | (src[pos + 1] << 8) | (src[pos + 2] << 16) | (src[pos + 3] << 24)) >>> 0;
}

class GrowableBytes {
  private buf: Buffer;
  private length = 0;

  constructor(
    capacity: number,
    private readonly maxBytes: number,
  ) {
    this.buf = Buffer.allocUnsafe(capacity);
  }

  private reserve(n: number): void {
    if (this.length + n <= this.buf.length) return;
    if (this.length + n > this.maxBytes) throw new Error(`LZ4 data expands beyond ${this.maxBytes} bytes`);
    const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.length + n));
    this.buf.copy(next, 0, 0, this.length);
    this.buf = next;
  }

  append(src: Uint8Array, start: number, count: number): void {
    this.reserve(count);
    this.buf.set(src.subarray(start, start + count), this.length);
    this.length += count;
  }

  /** Copies `count` bytes from `offset` bytes back; the ranges may overlap, which repeats the pattern. */
  copyMatch(offset: number, count: number): void {
    if (offset === 0 || offset > this.length)
      throw new Error(`LZ4 match offset ${offset} points before the output`);
    this.reserve(count);
    const buf = this.buf;
    let from = this.length - offset;
    let to = this.length;
    if (offset >= count) {
      buf.copyWithin(to, from, from + count);
    } else {
      const stop = to + count;
      while (to < stop) buf[to++] = buf[from++];
    }
    this.length += count;
  }

  result(): Buffer {
    return this.buf.subarray(0, this.length);
  }
}
