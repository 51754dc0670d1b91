// A walk over the LZ4 frame format (Kafka's lz4 codec since 0.10) that reads only the headers: it
// checks that every frame and block is whole, and bounds what the frames can expand to. The native
// decoder (lz4-napi) allocates whatever the data asks for and reads a truncated end mark as the end,
// so this runs first: a produce request cannot claim gigabytes, and a damaged frame is refused.

const FRAME_MAGIC = 0x184d2204;
const SKIPPABLE_MAGIC_MASK = 0xfffffff0;
const SKIPPABLE_MAGIC = 0x184d2a50;
const FLAG_VERSION_MASK = 0xc0;
const FLAG_VERSION_1 = 0x40;
const FLAG_BLOCK_CHECKSUM = 0x10;
const FLAG_CONTENT_SIZE = 0x08;
const FLAG_CONTENT_CHECKSUM = 0x04;
const FLAG_DICTIONARY_ID = 0x01;
const BLOCK_UNCOMPRESSED = 0x80000000;
/** Block descriptor codes 4-7: maximum block sizes of 64 KiB, 256 KiB, 1 MiB and 4 MiB. */
const MAX_BLOCK_SIZES: Record<number, number> = { 4: 1 << 16, 5: 1 << 18, 6: 1 << 20, 7: 1 << 22 };
/** An LZ4 block expands at most about 255 times: each extra match-length byte adds 255 output bytes. */
const MAX_EXPANSION = 255;

export interface Lz4FrameLayout {
  /** The LZ4 frames, without any skippable frames between them. */
  frames: Uint8Array[];
  /** The most the frames can decompress to. */
  maxContentBytes: number;
}

/** Reads the frame and block headers of one or more concatenated LZ4 frames; throws on any damage. */
export function lz4FrameLayout(src: Uint8Array): Lz4FrameLayout {
  const frames: Uint8Array[] = [];
  let maxContentBytes = 0;
  let pos = 0;
  while (pos < src.length) {
    if (pos + 4 > src.length) throw new Error('LZ4 frame magic is truncated');
    const magic = readU32LE(src, pos);
    if ((magic & SKIPPABLE_MAGIC_MASK) >>> 0 === SKIPPABLE_MAGIC) {
      if (pos + 8 > src.length) throw new Error('LZ4 skippable frame is truncated');
      pos += 8 + readU32LE(src, pos + 4);
      continue;
    }
    if (magic !== FRAME_MAGIC) throw new Error(`not an LZ4 frame (magic 0x${magic.toString(16)})`);
    const frame = walkFrame(src, pos);
    frames.push(src.subarray(pos, frame.end));
    maxContentBytes += frame.maxContentBytes;
    pos = frame.end;
  }
  if (pos > src.length) throw new Error('LZ4 skippable frame is truncated');
  return { frames, maxContentBytes };
}

function walkFrame(src: Uint8Array, start: number): { end: number; maxContentBytes: number } {
  let pos = start + 4;
  if (pos + 3 > src.length) throw new Error('LZ4 frame descriptor is truncated');
  const flags = src[pos];
  if ((flags & FLAG_VERSION_MASK) !== FLAG_VERSION_1)
    throw new Error(`unsupported LZ4 frame version in flags 0x${flags.toString(16)}`);
  if (flags & FLAG_DICTIONARY_ID) throw new Error('LZ4 frames with a dictionary are not supported');
  const maxBlockSize = MAX_BLOCK_SIZES[(src[pos + 1] >>> 4) & 7];
  if (maxBlockSize === undefined)
    throw new Error(`invalid LZ4 block descriptor 0x${src[pos + 1].toString(16)}`);
  pos += 2 + (flags & FLAG_CONTENT_SIZE ? 8 : 0) + 1; // flags, block descriptor, content size, header checksum
  let maxContentBytes = 0;
  for (;;) {
    if (pos + 4 > src.length) throw new Error('LZ4 block size or end mark is truncated');
    const word = readU32LE(src, pos);
    pos += 4;
    if (word === 0) break;
    const length = (word & ~BLOCK_UNCOMPRESSED) >>> 0;
    if (length > maxBlockSize)
      throw new Error(`LZ4 block of ${length} bytes exceeds its frame's ${maxBlockSize}`);
    maxContentBytes += word & BLOCK_UNCOMPRESSED ? length : Math.min(maxBlockSize, length * MAX_EXPANSION);
    pos += length + (flags & FLAG_BLOCK_CHECKSUM ? 4 : 0);
    if (pos > src.length) throw new Error(`LZ4 block of ${length} bytes is truncated`);
  }
  if (flags & FLAG_CONTENT_CHECKSUM) pos += 4;
  if (pos > src.length) throw new Error('LZ4 frame checksum is truncated');
  return { end: pos, maxContentBytes };
}

function readU32LE(src: Uint8Array, pos: number): number {
  return (src[pos] | (src[pos + 1] << 8) | (src[pos + 2] << 16) | (src[pos + 3] << 24)) >>> 0;
}
