// Checks what a consumer read back against the ledger: every acknowledged record at the offset it was
// given, contiguous offsets, no record twice, nothing never sent, and each producer's records in order.
import type { AckedRecord, Ledger } from './ledger.js';

export interface ConsumedRecord {
  partition: number;
  offset: number;
  value: string;
}

export interface OffsetGap {
  partition: number;
  /** First missing offset. */
  from: number;
  /** Last missing offset. */
  to: number;
}

export interface LogCheck {
  consumed: number;
  acked: number;
  /** Acknowledged records not found at their acknowledged offset (with what is there instead, if anything). */
  missing: string[];
  /** Values read more than once. */
  duplicates: string[];
  gaps: OffsetGap[];
  /** Values never sent, or read from another partition than the one they were sent to. */
  strangers: string[];
  /** A producer's records read out of the order it sent them within one partition. */
  outOfOrder: string[];
  /** The end offset of each partition the read went up to. */
  endOffsets: number[];
}

/** `endOffsets`: per partition, the log end offset the read covered; offsets [0, end) must all be there. */
export function checkLog(
  consumed: readonly ConsumedRecord[],
  endOffsets: readonly number[],
  acked: readonly AckedRecord[],
  ledger: Ledger,
): LogCheck {
  const byPosition = new Map<string, string>();
  const seenValues = new Map<string, number>();
  const strangers: string[] = [];
  for (const record of consumed) {
    byPosition.set(`${record.partition}@${record.offset}`, record.value);
    seenValues.set(record.value, (seenValues.get(record.value) ?? 0) + 1);
    const sent = ledger.sentRecord(record.value);
    if (!sent) strangers.push(`${record.value} (p${record.partition}@${record.offset}) was never sent`);
    else if (sent.partition !== record.partition)
      strangers.push(`${record.value} sent to p${sent.partition} but read from p${record.partition}`);
  }

  const missing: string[] = [];
  for (const record of acked) {
    const found = byPosition.get(`${record.partition}@${record.offset}`);
    if (found === record.value) continue;
    missing.push(
      `${record.value} acked at p${record.partition}@${record.offset}, ` +
        (found === undefined ? 'nothing there' : `found ${found} there`),
    );
  }

  const duplicates = [...seenValues].filter(([, count]) => count > 1).map(([value, n]) => `${value} x${n}`);
  return {
    consumed: consumed.length,
    acked: acked.length,
    missing,
    duplicates,
    gaps: findGaps(consumed, endOffsets),
    strangers,
    outOfOrder: findReordering(consumed, ledger),
    endOffsets: [...endOffsets],
  };
}

function findGaps(consumed: readonly ConsumedRecord[], endOffsets: readonly number[]): OffsetGap[] {
  const gaps: OffsetGap[] = [];
  for (const [partition, end] of endOffsets.entries()) {
    const offsets = consumed
      .filter((record) => record.partition === partition)
      .map((record) => record.offset)
      .sort((a, b) => a - b);
    // Nothing is compacted or deleted here, so every partition must read back from offset 0 without holes.
    let expected = 0;
    for (const offset of [...offsets, end]) {
      if (offset > expected) gaps.push({ partition, from: expected, to: offset - 1 });
      expected = Math.max(expected, offset + 1);
    }
  }
  return gaps;
}

/** With one request in flight, each producer's records must appear in send order in each partition. */
function findReordering(consumed: readonly ConsumedRecord[], ledger: Ledger): string[] {
  const problems: string[] = [];
  const lastSeq = new Map<string, { seq: number; value: string }>();
  const ordered = [...consumed].sort((a, b) => a.partition - b.partition || a.offset - b.offset);
  for (const record of ordered) {
    const sent = ledger.sentRecord(record.value);
    if (!sent) continue;
    const key = `${sent.stream}/${record.partition}`;
    const previous = lastSeq.get(key);
    if (previous && previous.seq >= sent.seq) problems.push(`${record.value} follows ${previous.value}`);
    lastSeq.set(key, { seq: sent.seq, value: record.value });
  }
  return problems;
}

/** True when nothing is wrong. */
export function isClean(check: LogCheck): boolean {
  return (
    check.missing.length === 0 &&
    check.duplicates.length === 0 &&
    check.gaps.length === 0 &&
    check.strangers.length === 0 &&
    check.outOfOrder.length === 0
  );
}
