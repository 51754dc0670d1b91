import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';
import { compressSync as snappyCompress } from 'snappy';
import { describe, expect, it } from 'vitest';
import { ErrorCode } from '../../../src/protocol/error-codes.js';
import { Compression } from '../../../src/protocol/records/batch-header.js';
import type { CompressionCodec } from '../../../src/protocol/records/batch-header.js';
import {
  canCompressZstd,
  codecByName,
  compress,
  decompress,
  MAX_DECOMPRESSED_BYTES,
  zstdImplementation,
} from '../../../src/protocol/records/compression.js';
import { InvalidRecordBatchError } from '../../../src/protocol/records/errors.js';

function hasTool(name: string): boolean {
  try {
    execFileSync('which', [name], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Mixed data: compressible runs and noise, larger than one 64 KiB LZ4 block. */
function sampleData(size: number): Buffer {
  const data = Buffer.alloc(size);
  let seed = 12345;
  for (let i = 0; i < size; i++) {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    data[i] = i % 1000 < 600 ? 65 + (i % 7) : seed >>> 24;
  }
  return data;
}

describe('compress/decompress', () => {
  const codecs: CompressionCodec[] = [
    Compression.none,
    Compression.gzip,
    Compression.snappy,
    Compression.lz4,
    Compression.zstd,
  ];
  for (const codec of codecs) {
    it(`round-trips codec ${codec} for empty, small and multi-block inputs`, () => {
      for (const data of [
        Buffer.alloc(0),
        Buffer.from('a'),
        Buffer.from('short text, short text'),
        sampleData(300_000),
      ]) {
        expect(decompress(codec, compress(codec, data)).equals(data)).toBe(true);
      }
    });
  }

  it('maps Kafka codec names', () => {
    expect(codecByName('zstd')).toBe(Compression.zstd);
    expect(codecByName('none')).toBe(Compression.none);
    expect(codecByName('brotli')).toBeUndefined();
  });
});

describe('snappy', () => {
  it('reads the xerial framing Java producers write', () => {
    const data = sampleData(100_000);
    const chunks = [data.subarray(0, 32_768), data.subarray(32_768, 65_536), data.subarray(65_536)];
    const header = Buffer.from([0x82, 0x53, 0x4e, 0x41, 0x50, 0x50, 0x59, 0x00, 0, 0, 0, 1, 0, 0, 0, 1]);
    const parts: Buffer[] = [header];
    for (const chunk of chunks) {
      const block = snappyCompress(Buffer.from(chunk));
      const length = Buffer.alloc(4);
      length.writeInt32BE(block.length);
      parts.push(length, block);
    }
    expect(decompress(Compression.snappy, Buffer.concat(parts)).equals(data)).toBe(true);
  });

  it('compresses to raw snappy, as librdkafka does', () => {
    const compressed = compress(Compression.snappy, Buffer.from('hello hello hello hello'));
    expect(compressed[0]).not.toBe(0x82);
  });
});

describe('lz4', () => {
  it('writes frames with the block-independence flag Java requires', () => {
    const frame = compress(Compression.lz4, sampleData(1000));
    expect(frame.readUInt32LE(0)).toBe(0x184d2204);
    expect(frame[4] & 0x20).toBe(0x20);
    expect(frame[4] & 0xc0).toBe(0x40);
  });

  it('reads frames with content size and block checksums', () => {
    // `lz4 -BD --content-size -BX` of "Venice lz4 fixture. " x 20
    const fixture = Buffer.from(
      '04224d187440bd20000000ff0556656e696365206c7a3420666978747572652e201400ff65507572652e2062c6eb5f0000000015fe02db',
      'hex',
    );
    expect(decompress(Compression.lz4, fixture).toString()).toBe('Venice lz4 fixture. '.repeat(20));
  });

  it.runIf(hasTool('lz4'))('interoperates with the lz4 command line tool both ways', () => {
    const data = sampleData(400_000);
    const ours = compress(Compression.lz4, data);
    expect(execFileSync('lz4', ['-q', '-d', '-c'], { input: ours }).equals(data)).toBe(true);
    for (const flags of [['-BD'], ['-BI', '-B4'], ['--content-size', '-BX', '-B7']]) {
      const theirs = execFileSync('lz4', ['-q', '-c', ...flags], { input: data });
      expect(decompress(Compression.lz4, theirs).equals(data), flags.join(' ')).toBe(true);
    }
  });

  it('writes a header checksum the LZ4 frame format (and Kafka since 0.10) accepts', () => {
    // `lz4 -t` checks the descriptor's checksum byte; a frame with a wrong one is refused by it.
    const frame = compress(Compression.lz4, sampleData(1000));
    const damaged = Buffer.from(frame);
    damaged[6] ^= 0xff;
    expect(() => decompress(Compression.lz4, damaged)).toThrow(InvalidRecordBatchError);
    expect(decompress(Compression.lz4, frame).equals(sampleData(1000))).toBe(true);
  });

  it('reads concatenated frames and skips skippable frames', () => {
    const first = sampleData(70_000);
    const second = Buffer.from('second frame '.repeat(50));
    const skippable = Buffer.from('502a4d1804000000deadbeef', 'hex');
    const joined = Buffer.concat([
      compress(Compression.lz4, first),
      skippable,
      compress(Compression.lz4, second),
    ]);
    expect(decompress(Compression.lz4, joined).equals(Buffer.concat([first, second]))).toBe(true);
  });

  it('refuses a frame whose end mark is cut off', () => {
    const frame = compress(Compression.lz4, sampleData(5000));
    expect(() => decompress(Compression.lz4, frame.subarray(0, frame.length - 2))).toThrow(/truncated/);
  });

  it('reports damaged frames as corrupt', () => {
    const frame = Buffer.from(compress(Compression.lz4, sampleData(5000)));
    const truncated = frame.subarray(0, frame.length - 40);
    expect(() => decompress(Compression.lz4, truncated)).toThrow(InvalidRecordBatchError);
    const wrongMagic = Buffer.from(frame);
    wrongMagic[0] ^= 0xff;
    expect(() => decompress(Compression.lz4, wrongMagic)).toThrow(/not an LZ4 frame/);
  });
});

describe('zstd', () => {
  it('decompresses frames with and without a content size', () => {
    const expected = 'Venice zstd fixture. '.repeat(20);
    // `zstd -c` of a file (content size known) and of stdin (unknown).
    const withSize = Buffer.from(
      '28b52ffd64a400e50000a856656e696365207a73746420666978747572652e20010019519d4ce978760c',
      'hex',
    );
    const streamed = Buffer.from(
      '28b52ffd0458e50000a856656e696365207a73746420666978747572652e20010019519d4ce978760c',
      'hex',
    );
    expect(decompress(Compression.zstd, withSize).toString()).toBe(expected);
    expect(decompress(Compression.zstd, streamed).toString()).toBe(expected);
  });

  it.runIf(hasTool('zstd'))('reads what the zstd command line tool writes', () => {
    const data = sampleData(500_000);
    const theirs = execFileSync('zstd', ['-q', '-c'], { input: data });
    expect(decompress(Compression.zstd, theirs).equals(data)).toBe(true);
  });

  it(`compresses on this Node (${process.version}) too, through ${zstdImplementation}`, () => {
    expect(canCompressZstd()).toBe(true);
    const [major, minor] = process.versions.node.split('.').map(Number);
    const zlibHasZstd = major > 22 || (major === 22 && minor >= 15);
    expect(zstdImplementation).toBe(zlibHasZstd ? 'node:zlib' : '@toondepauw/node-zstd');
    const data = sampleData(100_000);
    const packed = compress(Compression.zstd, data);
    expect(packed.readUInt32LE(0)).toBe(0xfd2fb528); // a zstd frame
    expect(packed.length).toBeLessThan(data.length / 2);
    expect(decompress(Compression.zstd, packed).equals(data)).toBe(true);
  });

  it.runIf(hasTool('zstd'))('writes what the zstd command line tool reads', () => {
    const data = sampleData(300_000);
    const ours = compress(Compression.zstd, data);
    expect(execFileSync('zstd', ['-q', '-d', '-c'], { input: ours }).equals(data)).toBe(true);
  });

  it('reports damaged data as CORRUPT_MESSAGE', () => {
    try {
      decompress(Compression.zstd, Buffer.from('not zstd at all'));
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(InvalidRecordBatchError);
      expect((error as InvalidRecordBatchError).errorCode).toBe(ErrorCode.CORRUPT_MESSAGE);
    }
  });
});

describe('decompression bombs', () => {
  const big = Buffer.alloc(4 * 1024 * 1024, 7);
  const limit = 1024 * 1024;

  it.each([
    ['gzip', Compression.gzip],
    ['snappy', Compression.snappy],
    ['lz4', Compression.lz4],
    ['zstd', Compression.zstd],
  ] as const)('refuses %s data that expands beyond the bound', (_name, codec) => {
    const packed = compress(codec, big);
    expect(packed.length).toBeLessThan(limit);
    expect(() => decompress(codec, packed, limit)).toThrow(InvalidRecordBatchError);
    expect(decompress(codec, packed, big.length).equals(big)).toBe(true);
  });

  it('refuses a gzip bomb at the default bound without allocating all of it', () => {
    const bomb = zlib.gzipSync(Buffer.alloc(MAX_DECOMPRESSED_BYTES + 1024));
    expect(() => decompress(Compression.gzip, bomb)).toThrow(/cannot decompress gzip/);
  });
});

describe('a codec package that cannot load', () => {
  it('fails that codec only, with a message that says what to do', () => {
    const here = path.dirname(fileURLToPath(import.meta.url));
    // A preload that makes lz4-napi fail to load, as on a host without its prebuilt binary.
    const blockLz4 = [
      "const Module = require('node:module');",
      'const load = Module._load;',
      "Module._load = function (request, ...rest) { if (request === 'lz4-napi') throw new Error('no binary for this host'); return load.call(this, request, ...rest); };",
    ].join('\n');
    const script = [
      `import { compress, decompress } from ${JSON.stringify(path.join(here, '../../../src/protocol/records/compression.ts'))};`,
      "const data = Buffer.from('still works '.repeat(20));",
      'console.log(decompress(1, compress(1, data)).equals(data), decompress(2, compress(2, data)).equals(data));',
      'try { compress(3, data); } catch (error) { console.log(error.message); }',
    ].join('\n');
    const preloadDir = mkdtempSync(path.join(tmpdir(), 'venice-codecs-'));
    const preload = path.join(preloadDir, 'block-lz4.cjs');
    writeFileSync(preload, blockLz4);
    let output: string;
    try {
      output = execFileSync(
        process.execPath,
        ['--require', preload, '--import', 'tsx', '--input-type=module', '-e', script],
        { encoding: 'utf8' },
      );
    } finally {
      rmSync(preloadDir, { recursive: true, force: true });
    }
    const [works, message] = output.trim().split('\n');
    expect(works).toBe('true true');
    expect(message).toMatch(
      /^lz4 compression needs the package lz4-napi, which did not load .*no binary for this host.*npm ci/,
    );
  });
});
