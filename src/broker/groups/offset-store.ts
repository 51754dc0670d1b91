// A group's committed offsets, by topic then partition. Pure in-memory state: persistence is the coordinator's job.
import type { TopicPartitionRef } from './types.js';

export interface CommittedOffset {
  offset: bigint;
  leaderEpoch: number;
  metadata: string;
  commitTimestamp: number;
  expireTimestamp: number;
}

export class GroupOffsets {
  private readonly byTopic = new Map<string, Map<number, CommittedOffset>>();
  /**
   * Writes are applied when the store acknowledges them. Each write takes a sequence number when it is
   * appended, so a write acknowledged late never overwrites a newer one for the same partition.
   */
  private lastSequence = 0;
  private readonly appliedSequence = new Map<string, number>();

  nextWriteSequence(): number {
    return ++this.lastSequence;
  }

  /** Applies a stored commit (or, with null, a deletion) unless a newer write already landed. */
  apply(topic: string, partition: number, committed: CommittedOffset | null, sequence: number): void {
    const slot = `${partition}:${topic}`;
    if ((this.appliedSequence.get(slot) ?? -1) > sequence) return;
    this.appliedSequence.set(slot, sequence);
    if (committed) this.set(topic, partition, committed);
    else this.delete(topic, partition);
  }

  get size(): number {
    let total = 0;
    for (const partitions of this.byTopic.values()) total += partitions.size;
    return total;
  }

  get(topic: string, partition: number): CommittedOffset | undefined {
    return this.byTopic.get(topic)?.get(partition);
  }

  set(topic: string, partition: number, committed: CommittedOffset): void {
    let partitions = this.byTopic.get(topic);
    if (!partitions) {
      partitions = new Map();
      this.byTopic.set(topic, partitions);
    }
    partitions.set(partition, committed);
  }

  delete(topic: string, partition: number): boolean {
    const partitions = this.byTopic.get(topic);
    if (!partitions?.delete(partition)) return false;
    if (partitions.size === 0) this.byTopic.delete(topic);
    return true;
  }

  hasTopic(topic: string): boolean {
    return this.byTopic.has(topic);
  }

  /** Every committed partition, topics and partitions in ascending order. */
  partitions(): (TopicPartitionRef & CommittedOffset)[] {
    const out: (TopicPartitionRef & CommittedOffset)[] = [];
    for (const topic of [...this.byTopic.keys()].sort()) {
      const partitions = this.byTopic.get(topic)!;
      for (const partition of [...partitions.keys()].sort((a, b) => a - b)) {
        out.push({ topic, partition, ...partitions.get(partition)! });
      }
    }
    return out;
  }
}
