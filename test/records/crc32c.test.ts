import { describe, expect, it } from 'vitest';
import { crc32c } from '../../src/protocol/records/crc32c.js';

/** Bit-at-a-time reference, to check the sliced tables against. */
function referenceCrc32c(data: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of data) {
    crc ^= byte;
    for (let bit = 0; bit < 8; bit++) crc = crc & 1 ? (crc >>> 1) ^ 0x82f63b78 : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

describe('crc32c', () => {
  it('matches the standard check value', () => {
    expect(crc32c(Buffer.from('123456789'))).toBe(0xe3069283);
  });

  it('matches the RFC 3720 vectors', () => {
    expect(crc32c(Buffer.alloc(32, 0x00))).toBe(0x8a9136aa);
    expect(crc32c(Buffer.alloc(32, 0xff))).toBe(0x62a8ab43);
    const ascending = Buffer.from(Array.from({ length: 32 }, (_, i) => i));
    expect(crc32c(ascending)).toBe(0x46dd794e);
    const descending = Buffer.from(Array.from({ length: 32 }, (_, i) => 31 - i));
    expect(crc32c(descending)).toBe(0x113fdb5c);
  });

  it('is 0 for no bytes', () => {
    expect(crc32c(Buffer.alloc(0))).toBe(0);
  });

  it('agrees with a bitwise reference for every length, alignment and range', () => {
    const data = Buffer.alloc(1100);
    for (let i = 0; i < data.length; i++) data[i] = (i * 131 + 7) & 0xff;
    for (const start of [0, 1, 2, 3, 5]) {
      for (const length of [0, 1, 7, 8, 15, 16, 17, 255, 256, 257, 300, 1000, 1023]) {
        const end = start + length;
        expect(crc32c(data, start, end), `start ${start} length ${length}`).toBe(
          referenceCrc32c(data.subarray(start, end)),
        );
      }
    }
  });

  it('handles views at odd byte offsets of a larger buffer', () => {
    const backing = Buffer.alloc(5000);
    for (let i = 0; i < backing.length; i++) backing[i] = (i * 31) & 0xff;
    const view = backing.subarray(3, 4003);
    expect(crc32c(view)).toBe(referenceCrc32c(Buffer.from(view)));
  });

  it('continues a checksum across ranges', () => {
    const data = Buffer.from(
      'The quick brown fox jumps over the lazy dog, repeatedly and at length.'.repeat(10),
    );
    const whole = crc32c(data);
    expect(crc32c(data, 300, data.length, crc32c(data, 0, 300))).toBe(whole);
  });

  it('rejects ranges outside the buffer', () => {
    expect(() => crc32c(Buffer.alloc(4), 0, 5)).toThrow(RangeError);
    expect(() => crc32c(Buffer.alloc(4), 3, 2)).toThrow(RangeError);
  });
});
