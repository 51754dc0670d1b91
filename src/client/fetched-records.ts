// Turns one partition of a Fetch answer (record-set-fetch.ts) into Venice records. Shared by the direct
// reader and the group consumer, so both skip transaction markers, aborted transactions and the records
// before the offset asked for alike.
import { readControlRecordType, ControlRecordType } from '../protocol/records/control-record.js';
import { decodeRecordSet, type DecodedBatch } from '../protocol/records/record-codec.js';
import type { AbortedTransaction, FetchedRecordSet } from './record-set-fetch.js';
import type { ConsumedRecord } from './types.js';

export interface FetchedPartition {
  records: ConsumedRecord[];
  /** The offset after the last batch returned (markers included); `from` when nothing came. */
  next: bigint;
}

export function decodeFetchedPartition(
  topic: string,
  response: FetchedRecordSet,
  from: bigint,
): FetchedPartition {
  const partition = response.partition;
  const records: ConsumedRecord[] = [];
  if (!response.records) return { records, next: from };
  const batches = decodeRecordSet(response.records);
  const aborted = new AbortedRanges(response.abortedTransactions);
  let next = from;
  for (const batch of batches) {
    next = batch.baseOffset + BigInt(batch.lastOffsetDelta) + 1n;
    if (aborted.skips(batch)) continue;
    for (const record of batch.records) {
      // A batch can start before the offset asked for.
      if (record.offset < from) continue;
      records.push({
        topic,
        partition,
        offset: record.offset,
        timestamp: record.timestamp,
        key: record.key,
        value: record.value,
        headers: record.headers,
      });
    }
  }
  return { records, next: next > from ? next : from };
}

/**
 * Kafka's read-committed walk: a producer's transaction is aborted from the first offset the broker
 * lists until that producer's abort marker. Markers themselves are never records.
 */
class AbortedRanges {
  readonly #pending: AbortedTransaction[];
  readonly #open = new Set<bigint>();
  #nextPending = 0;

  constructor(aborted: readonly AbortedTransaction[]) {
    this.#pending = [...aborted].sort((a, b) => (a.firstOffset < b.firstOffset ? -1 : 1));
  }

  /** Whether the batch holds no records to hand out; call in offset order. */
  skips(batch: DecodedBatch): boolean {
    const last = batch.baseOffset + BigInt(batch.lastOffsetDelta);
    while (this.#nextPending < this.#pending.length && this.#pending[this.#nextPending].firstOffset <= last)
      this.#open.add(this.#pending[this.#nextPending++].producerId);
    if (batch.isControl) {
      const type = readControlRecordType(batch.records[0]?.key ?? null);
      if (type === ControlRecordType.abort) this.#open.delete(batch.producerId);
      return true;
    }
    return batch.isTransactional && this.#open.has(batch.producerId);
  }
}
