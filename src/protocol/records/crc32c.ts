// CRC-32C (Castagnoli), the checksum of magic-2 record batches. Every produced batch is verified
// with it. Where @node-rs/crc32 loads (a prebuilt native module using the CPU's CRC32 instructions)
// it takes the larger ranges; the pure-JS slicing-by-16 below is the fallback, and it stays faster
// for the shortest ranges, where a call into native code costs more than it saves
// (figures in docs/benchmarks.md, "Codecs").
//
// The JS version: sixteen 256-entry tables fold 16 input bytes per loop step. On little-endian hosts
// long ranges are read as aligned 32-bit words through an Int32Array view, which roughly halves the
// memory reads compared with byte loads.

import { createRequire } from 'node:module';

const POLYNOMIAL_REVERSED = 0x82f63b78;
const TABLE_SIZE = 256;
const SLICES = 16;
/** Below this many bytes the cost of creating a word view outweighs its gain. */
const WORD_PATH_MIN_BYTES = 256;

const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/** SLICES tables of 256 entries, back to back: table k maps a byte to its CRC contribution k bytes further on. */
const TABLES = buildTables();

function buildTables(): Int32Array {
  const tables = new Int32Array(TABLE_SIZE * SLICES);
  for (let byte = 0; byte < TABLE_SIZE; byte++) {
    let crc = byte;
    for (let bit = 0; bit < 8; bit++) crc = crc & 1 ? (crc >>> 1) ^ POLYNOMIAL_REVERSED : crc >>> 1;
    tables[byte] = crc;
  }
  for (let slice = 1; slice < SLICES; slice++) {
    const base = slice * TABLE_SIZE;
    for (let byte = 0; byte < TABLE_SIZE; byte++) {
      const previous = tables[base - TABLE_SIZE + byte];
      tables[base + byte] = (previous >>> 8) ^ tables[previous & 0xff];
    }
  }
  return tables;
}

type NativeCrc32c = (data: Uint8Array, previous?: number) => number;

/** The native implementation, or undefined where its binary is missing or does not load. */
function loadNative(): NativeCrc32c | undefined {
  try {
    const native = createRequire(import.meta.url)('@node-rs/crc32') as { crc32c?: NativeCrc32c };
    const crc = native.crc32c;
    // A build that loads but computes something else must not checksum the log.
    return typeof crc === 'function' && crc(Buffer.from('123456789')) === 0xe3069283 ? crc : undefined;
  } catch {
    return undefined;
  }
}

/** The native CRC-32C where available: exported for tests and the benchmark. */
export const nativeCrc32c: NativeCrc32c | undefined = loadNative();

/** Which implementation checksums ranges of NATIVE_MIN_BYTES or more. */
export const crc32cImplementation: 'native' | 'js' = nativeCrc32c ? 'native' : 'js';

/**
 * From this many bytes up the native call wins. Below it the call's fixed cost (about 400-600 ns on
 * the benchmark machine) outweighs the JS tables, which checksum 100 B in about 150-300 ns.
 */
export const NATIVE_MIN_BYTES = 256;

/**
 * CRC-32C of `data[start, end)`, as an unsigned 32-bit number.
 * Pass a previous result as `previous` to continue a checksum over several ranges.
 */
export function crc32c(data: Uint8Array, start = 0, end = data.length, previous = 0): number {
  checkRange(data, start, end);
  if (nativeCrc32c && end - start >= NATIVE_MIN_BYTES) {
    const range = start === 0 && end === data.length ? data : data.subarray(start, end);
    return nativeCrc32c(range, previous);
  }
  return crc32cJs(data, start, end, previous);
}

/** The pure-JS CRC-32C, with the same contract as crc32c. */
export function crc32cJs(data: Uint8Array, start = 0, end = data.length, previous = 0): number {
  checkRange(data, start, end);
  const state = ~previous | 0;
  const crc =
    LITTLE_ENDIAN && end - start >= WORD_PATH_MIN_BYTES
      ? updateWords(state, data, start, end)
      : updateBytes(state, data, start, end);
  return ~crc >>> 0;
}

function checkRange(data: Uint8Array, start: number, end: number): void {
  if (start < 0 || end > data.length || start > end) {
    throw new RangeError(`crc32c range [${start}, ${end}) is outside a buffer of ${data.length} bytes`);
  }
}

function updateBytes(crc: number, data: Uint8Array, start: number, end: number): number {
  const t = TABLES;
  let i = start;
  const wideEnd = end - ((end - start) & 15);
  while (i < wideEnd) {
    // The checksum is bit-reflected, so the first four bytes combine little-endian into the running value.
    const w0 = crc ^ (data[i] | (data[i + 1] << 8) | (data[i + 2] << 16) | (data[i + 3] << 24));
    crc =
      t[3840 + (w0 & 0xff)] ^
      t[3584 + ((w0 >>> 8) & 0xff)] ^
      t[3328 + ((w0 >>> 16) & 0xff)] ^
      t[3072 + (w0 >>> 24)] ^
      t[2816 + data[i + 4]] ^
      t[2560 + data[i + 5]] ^
      t[2304 + data[i + 6]] ^
      t[2048 + data[i + 7]] ^
      t[1792 + data[i + 8]] ^
      t[1536 + data[i + 9]] ^
      t[1280 + data[i + 10]] ^
      t[1024 + data[i + 11]] ^
      t[768 + data[i + 12]] ^
      t[512 + data[i + 13]] ^
      t[256 + data[i + 14]] ^
      t[data[i + 15]];
    i += 16;
  }
  while (i < end) crc = (crc >>> 8) ^ t[(crc ^ data[i++]) & 0xff];
  return crc;
}

function updateWords(crc: number, data: Uint8Array, start: number, end: number): number {
  const t = TABLES;
  let i = start;
  // Byte steps up to a 4-byte boundary of the underlying memory, so the Int32Array view is legal.
  while ((data.byteOffset + i) & 3) crc = (crc >>> 8) ^ t[(crc ^ data[i++]) & 0xff];
  const blocks = (end - i) >>> 4;
  const words = new Int32Array(data.buffer, data.byteOffset + i, blocks * 4);
  for (let k = 0; k < words.length; k += 4) {
    const w0 = crc ^ words[k];
    const w1 = words[k + 1];
    const w2 = words[k + 2];
    const w3 = words[k + 3];
    crc =
      t[3840 + (w0 & 0xff)] ^
      t[3584 + ((w0 >>> 8) & 0xff)] ^
      t[3328 + ((w0 >>> 16) & 0xff)] ^
      t[3072 + (w0 >>> 24)] ^
      t[2816 + (w1 & 0xff)] ^
      t[2560 + ((w1 >>> 8) & 0xff)] ^
      t[2304 + ((w1 >>> 16) & 0xff)] ^
      t[2048 + (w1 >>> 24)] ^
      t[1792 + (w2 & 0xff)] ^
      t[1536 + ((w2 >>> 8) & 0xff)] ^
      t[1280 + ((w2 >>> 16) & 0xff)] ^
      t[1024 + (w2 >>> 24)] ^
      t[768 + (w3 & 0xff)] ^
      t[512 + ((w3 >>> 8) & 0xff)] ^
      t[256 + ((w3 >>> 16) & 0xff)] ^
      t[w3 >>> 24];
  }
  i += blocks * 16;
  while (i < end) crc = (crc >>> 8) ^ t[(crc ^ data[i++]) & 0xff];
  return crc;
}
