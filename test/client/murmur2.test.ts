// Venice's murmur2 gives Java's hashes (Kafka's UtilsTest vectors) and the library's, for every length
// and byte value, so records keep their partitions.
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { murmur2 as libraryMurmur2 } from '../../src/client/library.js';
import { murmur2 } from '../../src/client/murmur2.js';

describe('murmur2', () => {
  it("gives Kafka's test vectors", () => {
    const vectors: [string, number][] = [
      ['21', -973932308],
      ['foobar', -790332482],
      ['a-little-bit-long-string', -985981536],
      ['a-little-bit-longer-string', -1486304829],
      ['lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8', -58897971],
      ['abc', 479470107],
    ];
    for (const [text, hash] of vectors) expect(murmur2(Buffer.from(text)), text).toBe(hash);
  });

  it("agrees with the library's on random keys of every length up to 64 bytes", () => {
    for (let length = 0; length <= 64; length++) {
      for (let trial = 0; trial < 50; trial++) {
        const key = randomBytes(length);
        expect(murmur2(key), key.toString('hex')).toBe(libraryMurmur2(key, false));
      }
    }
  });
});
