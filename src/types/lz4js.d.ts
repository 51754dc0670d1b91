// Minimal typings for the parts of lz4js Venice uses: the raw block compressor and xxHash32.
declare module 'lz4js' {
  /** Compresses src[sIndex, sIndex + sLength) into dst from index 0; returns the compressed length, 0 if nothing matched. */
  export function compressBlock(
    src: Uint8Array,
    dst: Uint8Array,
    sIndex: number,
    sLength: number,
    hashTable: Uint32Array,
  ): number;
  export function compressBound(length: number): number;
}

declare module 'lz4js/xxh32.js' {
  export function hash(seed: number, src: Uint8Array, sIndex: number, sLength: number): number;
}
