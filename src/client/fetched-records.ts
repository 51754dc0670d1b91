// Turns one partition of a Fetch answer (record-set-fetch.ts) into Venice records. Shared by the direct
// reader and the group consumer, so both skip transaction markers, aborted transactions and the records
// before the offset asked for alike.
import { BATCH_HEADER_SIZE, readBatchInfo, type BatchInfo } from '../protocol/records/batch-header.js';
import { splitBatches } from '../protocol/records/batch.js';
import { decompress } from '../protocol/records/compression.js';
import { readControlRecordType, ControlRecordType } from '../protocol/records/control-record.js';
import { corrupt } from '../protocol/records/errors.js';
import { decodeBatch } from '../protocol/records/record-codec.js';
import { RecordCursor } from '../protocol/records/varint.js';
import type { AbortedTransaction, FetchedRecordSet } from './record-set-fetch.js';
import type { ConsumedRecord, RecordHeader } from './types.js';

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
  // Each batch checked (CRC included) as protocol's decodeRecordSet does; a cut-short last one ignored.
  const batches = splitBatches(response.records, { allowPartialTail: true });
  const aborted = new AbortedRanges(response.abortedTransactions);
  let next = from;
  for (const batch of batches) {
    const info = readBatchInfo(batch);
    next = info.baseOffset + BigInt(info.lastOffsetDelta) + 1n;
    if (aborted.skips(info, batch)) continue;
    decodeRecordsInto(records, topic, partition, batch, info, from);
  }
  return { records, next: next > from ? next : from };
}

/**
 * The records of one batch, straight into Venice records: what protocol's decodeBatch does, without
 * its record object and cursor per record, which were half the garbage when consuming.
 */
function decodeRecordsInto(
  records: ConsumedRecord[],
  topic: string,
  partition: number,
  batch: Buffer,
  info: BatchInfo,
  from: bigint,
): void {
  const body = decompress(info.compression, batch.subarray(BATCH_HEADER_SIZE));
  // With LogAppendTime, every record takes the broker's time stored as the batch's max timestamp.
  const logAppendTime = info.timestampType === 'LogAppendTime' ? info.maxTimestamp : null;
  const cursor = new RecordCursor(body, 0, body.length);
  for (let index = 0; index < info.recordCount; index++) {
    const length = varint(cursor);
    const end = cursor.pos + length;
    if (length < 0 || end > body.length)
      throw corrupt(`record of ${length} bytes at byte ${cursor.pos} does not fit in its batch`);
    cursor.int8(); // record attributes: unused by magic 2
    const timestamp = timestampOf(cursor, info.baseTimestamp);
    const offsetDelta = varint(cursor);
    const key = nullableBytes(cursor, 'a record key');
    const value = nullableBytes(cursor, 'a record value');
    const headerCount = varint(cursor);
    if (headerCount < 0) throw corrupt(`record has a negative header count ${headerCount}`);
    const headers: RecordHeader[] = [];
    for (let header = 0; header < headerCount; header++) {
      const headerKey = nullableBytes(cursor, 'a header key');
      if (headerKey === null) throw corrupt('record header has a null key');
      headers.push({ key: headerKey.toString('utf8'), value: nullableBytes(cursor, 'a header value') });
    }
    if (cursor.pos !== end)
      throw corrupt(`record declares ${length} bytes but its fields take more or fewer`);
    const offset = info.baseOffset + BigInt(offsetDelta);
    // A batch can start before the offset asked for.
    if (offset < from) continue;
    records.push({
      topic,
      partition,
      offset,
      timestamp: logAppendTime ?? timestamp,
      key,
      value,
      headers,
    });
  }
  if (cursor.pos !== body.length)
    throw corrupt(
      `record batch at offset ${info.baseOffset} has bytes after its ${info.recordCount} records`,
    );
}

// The record fields' varints, read with integer operations when they take 1 to 4 bytes (magnitudes
// below 2^27: every length, delta and count of an ordinary record). Anything longer or cut short goes
// to the cursor, which checks it and reports damage. Why: the cursor's general loop (doubles, a bounds
// check and a power of two per byte) took about a third of the client's CPU consuming 100 B records.

/** The varint at the cursor if it is 1 to 4 bytes long (and moves past it), else undefined. */
function shortVarint(cursor: RecordCursor): number | undefined {
  const { buf, end } = cursor;
  let pos = cursor.pos;
  let raw = 0;
  for (let shift = 0; shift < 28 && pos < end; shift += 7) {
    const byte = buf[pos++];
    raw |= (byte & 0x7f) << shift;
    if (byte < 0x80) {
      cursor.pos = pos;
      return (raw >>> 1) ^ -(raw & 1);
    }
  }
  return undefined;
}

function varint(cursor: RecordCursor): number {
  return shortVarint(cursor) ?? cursor.varint();
}

/** The record's timestamp from its delta; the batch's own bigint when the delta is 0, as it mostly is. */
function timestampOf(cursor: RecordCursor, baseTimestamp: bigint): bigint {
  const delta = shortVarint(cursor);
  if (delta === undefined) return baseTimestamp + cursor.varlong();
  return delta === 0 ? baseTimestamp : baseTimestamp + BigInt(delta);
}

/** Length then bytes, a view; a negative length means null. Damage is reported by the cursor. */
function nullableBytes(cursor: RecordCursor, what: string): Buffer | null {
  const start = cursor.pos;
  const length = varint(cursor);
  if (length < 0) return null;
  const from = cursor.pos;
  if (from + length > cursor.end) {
    cursor.pos = start;
    return cursor.nullableBytes(what);
  }
  cursor.pos = from + length;
  return cursor.buf.subarray(from, from + length);
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
  skips(info: BatchInfo, batch: Buffer): boolean {
    const last = info.baseOffset + BigInt(info.lastOffsetDelta);
    while (this.#nextPending < this.#pending.length && this.#pending[this.#nextPending].firstOffset <= last)
      this.#open.add(this.#pending[this.#nextPending++].producerId);
    if (info.isControl) {
      // Markers are rare: protocol's decoder reads the one record.
      const marker = decodeBatch(batch, { verifyCrc: false }).records[0];
      if (readControlRecordType(marker?.key ?? null) === ControlRecordType.abort)
        this.#open.delete(info.producerId);
      return true;
    }
    return info.isTransactional && this.#open.has(info.producerId);
  }
}
