// Transactional offset commits (TxnOffsetCommit, KIP-98/KIP-447): offsets a transactional producer
// commits stay pending, invisible to OffsetFetch, until its transaction's marker reaches
// __consumer_offsets; a commit marker makes them the group's committed offsets, an abort drops them.
import { decodeOffsetCommitValue, decodeRecordKey, type OffsetCommitValue } from './records.js';
import type { GroupRecord, TopicPartitionRef } from './types.js';

export interface PendingOffset extends TopicPartitionRef {
  value: OffsetCommitValue;
}

/** Pending offsets by producer id, then group, then partition (a later commit replaces an earlier one). */
export class PendingTxnOffsets {
  private readonly byProducer = new Map<bigint, Map<string, Map<string, PendingOffset>>>();

  add(producerId: bigint, groupId: string, offsets: readonly PendingOffset[]): void {
    let groups = this.byProducer.get(producerId);
    if (!groups) this.byProducer.set(producerId, (groups = new Map()));
    let partitions = groups.get(groupId);
    if (!partitions) groups.set(groupId, (partitions = new Map()));
    for (const offset of offsets) partitions.set(slot(offset), offset);
  }

  /** Removes and returns the producer's pending offsets, by group. */
  take(producerId: bigint): Map<string, PendingOffset[]> {
    const groups = this.byProducer.get(producerId);
    this.byProducer.delete(producerId);
    const out = new Map<string, PendingOffset[]>();
    for (const [groupId, partitions] of groups ?? []) out.set(groupId, [...partitions.values()]);
    return out;
  }

  /** True when some producer has an offset for this partition of the group awaiting its marker. */
  isPending(groupId: string, topic: string, partition: number): boolean {
    const key = slot({ topic, partition });
    for (const groups of this.byProducer.values()) {
      if (groups.get(groupId)?.has(key)) return true;
    }
    return false;
  }

  hasGroup(groupId: string): boolean {
    for (const groups of this.byProducer.values()) if (groups.has(groupId)) return true;
    return false;
  }

  clear(): void {
    this.byProducer.clear();
  }
}

function slot(ref: TopicPartitionRef): string {
  return `${ref.partition}:${ref.topic}`;
}

/** A __consumer_offsets record as read back from the log, with what its batch says about transactions. */
export interface StoredGroupRecord extends GroupRecord {
  producerId: bigint;
  isTransactional: boolean;
  /** For a control record (a transaction marker): whether it commits. */
  marker: 'commit' | 'abort' | null;
}

/**
 * Replays __consumer_offsets at start as the live coordinator saw it: a transactional record takes effect
 * where its producer's commit marker is (and never, after an abort marker); records whose marker is not
 * in the log yet are left in `pending` for the transaction coordinator to complete.
 */
export class TransactionalReplay {
  private readonly open = new Map<bigint, GroupRecord[]>();

  *records(stored: Iterable<StoredGroupRecord>): Iterable<GroupRecord> {
    for (const record of stored) {
      if (record.marker !== null) {
        const held = this.open.get(record.producerId) ?? [];
        this.open.delete(record.producerId);
        if (record.marker === 'commit') yield* held;
      } else if (record.isTransactional) {
        let held = this.open.get(record.producerId);
        if (!held) this.open.set(record.producerId, (held = []));
        held.push({ key: record.key, value: record.value });
      } else {
        yield { key: record.key, value: record.value };
      }
    }
  }

  /** After `records` has been read to the end: the offsets of transactions still open, by producer. */
  pending(warn: (message: string) => void): PendingTxnOffsets {
    const pending = new PendingTxnOffsets();
    for (const [producerId, held] of this.open) {
      for (const record of held) {
        try {
          const key = decodeRecordKey(record.key);
          if (key.kind !== 'offset' || record.value === null) continue;
          pending.add(producerId, key.group, [
            { topic: key.topic, partition: key.partition, value: decodeOffsetCommitValue(record.value) },
          ]);
        } catch (error) {
          warn(
            `skipping an unreadable transactional __consumer_offsets record: ` +
              (error instanceof Error ? error.message : String(error)),
          );
        }
      }
    }
    return pending;
  }
}
