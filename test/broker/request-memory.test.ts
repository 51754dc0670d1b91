// The request-memory budget and the frame reader's use of it: a large frame waits for its bytes, and
// every byte reserved is given back when frames finish or the connection goes.
import { describe, expect, it } from 'vitest';
import { RequestMemory } from '../../src/broker/server/request-memory.js';
import { FrameReader } from '../../src/broker/server/frame-reader.js';

function framed(body: Buffer): Buffer {
  const prefix = Buffer.alloc(4);
  prefix.writeInt32BE(body.length, 0);
  return Buffer.concat([prefix, body]);
}

describe('RequestMemory', () => {
  it('grants waiters in order as bytes come back, and always admits one frame when nothing is held', () => {
    const memory = new RequestMemory(100);
    expect(memory.tryReserve(150)).toBe(true); // larger than the budget, but nothing else is held
    expect(memory.tryReserve(10)).toBe(false);
    const granted: string[] = [];
    memory.reserveLater(60, () => granted.push('first'));
    memory.reserveLater(30, () => granted.push('second'));
    expect(memory.tryReserve(1)).toBe(false); // no overtaking the queue
    memory.release(150);
    expect(granted).toEqual(['first', 'second']);
    expect(memory.heldBytes).toBe(90);
  });

  it('asks reclaimers for cached memory before refusing', () => {
    const memory = new RequestMemory(100);
    memory.tryReserve(80);
    memory.addReclaimer(() => memory.release(80));
    expect(memory.tryReserve(50)).toBe(true);
    expect(memory.heldBytes).toBe(50);
  });
});

describe('FrameReader with a budget', () => {
  it('stops at a large frame the budget refuses and goes on once it is granted', () => {
    const memory = new RequestMemory(100_000);
    const other = new FrameReader(1 << 20, memory);
    const first = framed(Buffer.alloc(90_000, 1));
    expect(other.push(first.subarray(0, 1000))).toEqual([]);
    expect(memory.heldBytes).toBe(90_000);

    const reader = new FrameReader(1 << 20, memory);
    const stream = Buffer.concat([framed(Buffer.alloc(80_000, 2)), framed(Buffer.from('next'))]);
    expect(reader.push(stream.subarray(0, 5000))).toEqual([]);
    expect(reader.waitingForBytes).toBe(80_000);
    expect(reader.push(stream.subarray(5000))).toEqual([]); // kept aside while waiting

    let granted = false;
    memory.reserveLater(80_000, () => (granted = true));
    other.close(); // the other connection goes: its partial frame's bytes come back
    expect(granted).toBe(true);
    const frames = reader.granted();
    expect(frames.map((frame) => frame.length)).toEqual([80_000, 4]);
    expect(frames[0].every((byte) => byte === 2)).toBe(true);
    reader.discard(frames[0]);
    reader.discard(frames[1]); // a view into a chunk: nothing to give back
    expect(memory.heldBytes).toBe(0);
  });

  it('keeps a recycled frame reserved as its spare, and gives it back when asked', () => {
    const memory = new RequestMemory(1 << 20);
    const reader = new FrameReader(1 << 20, memory);
    const stream = framed(Buffer.alloc(70_000, 3));
    const [frame] = reader.push(stream.subarray(0, 100)).concat(reader.push(stream.subarray(100)));
    reader.recycle(frame);
    expect(memory.heldBytes).toBe(70_000);
    reader.dropSpare();
    expect(memory.heldBytes).toBe(0);
  });
});
