import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  crc32c as dispatchingCrc32c,
  crc32cImplementation,
  crc32cJs,
  nativeCrc32c,
  NATIVE_MIN_BYTES,
} from '../../../src/protocol/records/crc32c.js';

type Crc32c = typeof dispatchingCrc32c;

/** The native function takes whole views; this gives it crc32c's range contract for the shared cases. */
function rangedNative(native: NonNullable<typeof nativeCrc32c>): Crc32c {
  return (data, start = 0, end = data.length, previous = 0) => {
    if (start < 0 || end > data.length || start > end) throw new RangeError('outside');
    return native(data.subarray(start, end), previous);
  };
}

const implementations: [string, Crc32c][] = [
  ['crc32c (dispatching)', dispatchingCrc32c],
  ['pure JS', crc32cJs],
];
if (nativeCrc32c) implementations.push(['native', rangedNative(nativeCrc32c)]);

/** Bit-at-a-time reference, to check the sliced tables against. */
function referenceCrc32c(data: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of data) {
    crc ^= byte;
    for (let bit = 0; bit < 8; bit++) crc = crc & 1 ? (crc >>> 1) ^ 0x82f63b78 : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

describe.each(implementations)('crc32c: %s', (_name, crc32c) => {
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
      for (const length of [0, 1, 7, 8, 15, 16, 17, 255, 256, 257, 300, 511, 512, 513, 1000, 1023]) {
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

describe('crc32c implementation choice', () => {
  // The prebuilt binary for linux-x64-gnu comes with @node-rs/crc32; other hosts may fall back to JS.
  it.runIf(process.platform === 'linux' && process.arch === 'x64')(
    'loads the native module on linux-x64',
    () => {
      expect(nativeCrc32c).toBeTypeOf('function');
      expect(crc32cImplementation).toBe('native');
    },
  );

  it('gives the same checksums on both sides of the native threshold, across ranges', () => {
    const data = Buffer.alloc(3 * NATIVE_MIN_BYTES);
    for (let i = 0; i < data.length; i++) data[i] = (i * 197 + 11) & 0xff;
    const small = crc32cJs(data, 5, 5 + NATIVE_MIN_BYTES - 1);
    expect(dispatchingCrc32c(data, 5, 5 + NATIVE_MIN_BYTES - 1)).toBe(small);
    const large = dispatchingCrc32c(data, 1, data.length);
    expect(large).toBe(crc32cJs(data, 1, data.length));
    const split = dispatchingCrc32c(
      data,
      1 + NATIVE_MIN_BYTES,
      data.length,
      dispatchingCrc32c(data, 1, 1 + NATIVE_MIN_BYTES),
    );
    expect(split).toBe(large);
  });
});

describe('crc32c without the native module', () => {
  it('falls back to the JS implementation when @node-rs/crc32 cannot load', () => {
    const here = path.dirname(fileURLToPath(import.meta.url));
    // A preload that makes the native package fail to load, as a host without a prebuilt binary would.
    const blockNative = [
      "const Module = require('node:module');",
      'const load = Module._load;',
      "Module._load = function (request, ...rest) { if (request === '@node-rs/crc32') throw new Error('no binary for this host'); return load.call(this, request, ...rest); };",
    ].join('\n');
    const script = [
      `import { crc32c, crc32cImplementation } from ${JSON.stringify(path.join(here, '../../../src/protocol/records/crc32c.ts'))};`,
      "console.log(crc32cImplementation, crc32c(Buffer.alloc(4096, 7)), crc32c(Buffer.from('123456789')));",
    ].join('\n');
    const preloadDir = mkdtempSync(path.join(tmpdir(), 'venice-crc32c-'));
    const preload = path.join(preloadDir, 'block-native.cjs');
    writeFileSync(preload, blockNative);
    let output: string;
    try {
      output = execFileSync(
        process.execPath,
        ['--require', preload, '--import', 'tsx', '--input-type=module', '-e', script],
        {
          encoding: 'utf8',
        },
      );
    } finally {
      rmSync(preloadDir, { recursive: true, force: true });
    }
    expect(output.trim()).toBe(`js ${crc32cJs(Buffer.alloc(4096, 7))} ${0xe3069283}`);
  });
});
