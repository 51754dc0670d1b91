import { describe, expect, it } from 'vitest';
import { FrameReader, FrameTooLargeError } from '../../src/broker/server/frame-reader.js';

function framed(bodies: Buffer[]): Buffer {
  return Buffer.concat(
    bodies.flatMap((body) => {
      const prefix = Buffer.alloc(4);
      prefix.writeInt32BE(body.length, 0);
      return [prefix, body];
    }),
  );
}

function bodies(): Buffer[] {
  return [
    Buffer.from('a'),
    Buffer.alloc(0),
    Buffer.alloc(70_000, 7), // large: assembled into recyclable memory when split
    Buffer.from('tail'),
  ];
}

describe('FrameReader', () => {
  it('yields the same frames however the stream is cut', () => {
    const expected = bodies();
    const stream = framed(expected);
    for (const step of [1, 2, 3, 5, 4096, 65_536, stream.length]) {
      const reader = new FrameReader(1 << 20);
      const frames: Buffer[] = [];
      for (let at = 0; at < stream.length; at += step) {
        for (const frame of reader.push(stream.subarray(at, at + step))) frames.push(Buffer.from(frame));
      }
      expect(frames, `chunks of ${step} bytes`).toEqual(expected);
    }
  });

  it('reuses the memory of a recycled large frame for the next one', () => {
    const reader = new FrameReader(1 << 20);
    const stream = framed([Buffer.alloc(100_000, 1), Buffer.alloc(90_000, 2)]);
    const first = reader
      .push(stream.subarray(0, 50_000))
      .concat(reader.push(stream.subarray(50_000, 100_004)));
    expect(first).toHaveLength(1);
    expect(first[0].every((byte) => byte === 1)).toBe(true);
    reader.recycle(first[0]);
    const second = reader
      .push(stream.subarray(100_004, 150_000))
      .concat(reader.push(stream.subarray(150_000)));
    expect(second).toHaveLength(1);
    expect(second[0].buffer).toBe(first[0].buffer);
    expect(second[0].length).toBe(90_000);
    expect(second[0].every((byte) => byte === 2)).toBe(true);
  });

  it('never recycles views into socket chunks', () => {
    const reader = new FrameReader(1 << 20);
    const chunk = framed([Buffer.alloc(80_000, 3)]);
    const [frame] = reader.push(chunk);
    reader.recycle(frame);
    const stream = framed([Buffer.alloc(80_000, 4)]);
    const [next] = reader.push(stream.subarray(0, 10)).concat(reader.push(stream.subarray(10)));
    expect(next.buffer).not.toBe(chunk.buffer);
    expect(chunk.subarray(4).every((byte) => byte === 3)).toBe(true);
  });

  it('refuses sizes outside the limit', () => {
    const reader = new FrameReader(1000);
    const prefix = Buffer.alloc(4);
    prefix.writeInt32BE(1001, 0);
    expect(() => reader.push(prefix)).toThrow(FrameTooLargeError);
    prefix.writeInt32BE(-1, 0);
    expect(() => new FrameReader(1000).push(prefix)).toThrow(/outside 0..1000/);
  });
});
