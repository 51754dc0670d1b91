// The order a query processes a poll's records in, as Kafka Streams does: of the partitions' next
// records, the one with the smallest timestamp first; ties go to the earlier topic (in the query's
// topic order), then the lower partition. Within a partition, offset order is kept.
import type { ConsumedRecord, PartitionBatch } from '../../client/index.js';

export function mergeByTimestamp(
  batches: readonly PartitionBatch[],
  topicOrder: readonly string[],
): ConsumedRecord[] {
  if (batches.length === 1) return batches[0]?.records ?? [];
  const rank = (topic: string): number => {
    const i = topicOrder.indexOf(topic);
    return i < 0 ? topicOrder.length : i;
  };
  const heads = batches
    .filter((b) => b.records.length > 0)
    .map((b) => ({ batch: b, at: 0, rank: rank(b.topic) }));
  const out: ConsumedRecord[] = [];
  for (;;) {
    let best: (typeof heads)[number] | undefined;
    for (const head of heads) {
      if (head.at >= head.batch.records.length) continue;
      if (best === undefined) {
        best = head;
        continue;
      }
      const a = head.batch.records[head.at] as ConsumedRecord;
      const b = best.batch.records[best.at] as ConsumedRecord;
      if (
        a.timestamp < b.timestamp ||
        (a.timestamp === b.timestamp &&
          (head.rank < best.rank || (head.rank === best.rank && head.batch.partition < best.batch.partition)))
      ) {
        best = head;
      }
    }
    if (best === undefined) return out;
    out.push(best.batch.records[best.at++] as ConsumedRecord);
  }
}
