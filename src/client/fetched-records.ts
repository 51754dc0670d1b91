// Turns one partition of a Fetch response into Venice records. Shared by the direct reader and the
// group consumer, so both skip transaction markers and the records before the offset asked for alike.
import type { fetchV17 } from '@platformatic/kafka';
import type { ConsumedRecord, RecordHeader } from './types.js';

// Kafka's batch attribute bit for transaction markers, which are not records.
const CONTROL_BATCH = 0x20;

export interface FetchedPartition {
  records: ConsumedRecord[];
  /** The offset after the last batch returned (markers included); `from` when nothing came. */
  next: bigint;
}

export function decodeFetchedPartition(
  topic: string,
  response: fetchV17.FetchResponsePartition,
  from: bigint,
): FetchedPartition {
  const partition = response.partitionIndex;
  const records: ConsumedRecord[] = [];
  let next = from;
  for (const batch of response.records ?? []) {
    next = batch.firstOffset + BigInt(batch.lastOffsetDelta) + 1n;
    if (batch.attributes & CONTROL_BATCH) continue;
    const firstOffset = batch.firstOffset;
    const firstTimestamp = batch.firstTimestamp;
    for (const record of batch.records) {
      const offset = firstOffset + BigInt(record.offsetDelta);
      // A batch can start before the offset asked for.
      if (offset < from) continue;
      records.push({
        topic,
        partition,
        offset,
        timestamp: firstTimestamp + record.timestampDelta,
        key: record.key,
        value: record.value,
        headers: record.headers.length === 0 ? [] : record.headers.map(toHeader),
      });
    }
  }
  return { records, next: next > from ? next : from };
}

function toHeader([key, value]: [Buffer | null, Buffer | null]): RecordHeader {
  return { key: key?.toString() ?? '', value };
}
