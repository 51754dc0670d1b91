// The scenario every client must pass against the broker: produce 10,000 records over 3 partitions,
// consume part of them with a group of 2 members and commit, restart the broker, then resume from the
// committed offsets: nothing lost, nothing repeated, order kept within each partition.
import { expect } from 'vitest';

export const RECORD_COUNT = 10_000;
export const PARTITIONS = 3;

export interface Consumed {
  partition: number;
  offset: number;
  value: string;
}

/**
 * Checks what several consumers received: every record exactly once over all of them, and offsets
 * rising within each partition in each sequence (one sequence per consumer, in the order it received).
 */
export function checkExactlyOnce(sequences: Consumed[][], expectedValues: Set<string>): void {
  const seen = new Map<string, string>();
  for (const sequence of sequences) {
    const lastOffset = new Map<number, number>();
    for (const record of sequence) {
      const previous = lastOffset.get(record.partition) ?? -1;
      expect(record.offset, `partition ${record.partition} went backwards`).toBeGreaterThan(previous);
      lastOffset.set(record.partition, record.offset);
      const key = `${record.partition}:${record.offset}`;
      expect(seen.has(key), `record ${key} consumed twice`).toBe(false);
      seen.set(key, record.value);
    }
  }
  expect(seen.size).toBe(expectedValues.size);
  const values = new Set(seen.values());
  expect(values.size).toBe(expectedValues.size);
  for (const value of expectedValues) expect(values.has(value), `record ${value} lost`).toBe(true);
  const partitions = new Set(sequences.flat().map((record) => record.partition));
  expect(partitions.size).toBe(PARTITIONS);
}
