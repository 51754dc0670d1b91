// Validates the records inside a produced batch without building them. Kafka checks every record of
// what it accepts; decodeBatch would allocate objects, BigInts and Buffer views per record, which on
// the produce path costs more than the rest of the append together. This walk allocates nothing
// (beyond decompression) and reads varints inline.
import { BATCH_HEADER_SIZE, BatchOffset, Compression, type CompressionCodec } from './batch-header.js';
import { decompress } from './compression.js';
import { corrupt } from './errors.js';

export interface RecordScan {
  /** True when some record has a null key (refused on compacted topics). */
  hasNullKey: boolean;
  /** Indexes in the batch of the records with a null key, when listNullKeys was asked; empty otherwise. */
  nullKeyIndexes: readonly number[];
}

export interface RecordScanOptions {
  /** List the records without a key (for a compacted topic, whose produce answer names them). */
  listNullKeys?: boolean;
}

const NONE: readonly number[] = Object.freeze([]);

/**
 * Walks every record of one CRC-checked batch: lengths within bounds, offset deltas 0..n-1,
 * header keys present, nothing left over. Throws InvalidRecordBatchError (CORRUPT_MESSAGE) otherwise.
 */
export function scanBatchRecords(batch: Buffer, options: RecordScanOptions = {}): RecordScan {
  const nullKeyIndexes: number[] | null = options.listNullKeys === true ? [] : null;
  const codec = (batch.readInt16BE(BatchOffset.attributes) & 0x07) as CompressionCodec;
  const count = batch.readInt32BE(BatchOffset.recordCount);
  const body = codec === Compression.none ? batch : decompress(codec, batch.subarray(BATCH_HEADER_SIZE));
  let pos = codec === Compression.none ? BATCH_HEADER_SIZE : 0;
  const end = body.length;
  let hasNullKey = false;

  // The position lives in this function's own variable and every varint is read by a module-level
  // function that hands back where it stopped (in `varintEnd`): a closure sharing `pos` made V8 keep it
  // in a heap context, one load and store per field, and the walk cost about twice as much.
  for (let index = 0; index < count; index++) {
    const length = readVarint(body, pos, end);
    pos = varintEnd;
    const recordEnd = pos + length;
    if (length < 0 || recordEnd > end)
      throw corrupt(`record ${index} of ${length} bytes does not fit in its batch`);
    pos += 1; // attributes
    readVarint(body, pos, recordEnd); // timestamp delta
    const offsetDelta = readVarint(body, varintEnd, recordEnd);
    pos = varintEnd;
    if (offsetDelta !== index) throw corrupt(`record ${index} has offset delta ${offsetDelta}`);
    const keyLength = readVarint(body, pos, recordEnd);
    pos = skipBytes(keyLength, varintEnd, recordEnd, 'a record key');
    if (keyLength === -1) {
      hasNullKey = true;
      nullKeyIndexes?.push(index);
    }
    pos = skipBytes(readVarint(body, pos, recordEnd), varintEnd, recordEnd, 'a record value');
    const headers = readVarint(body, pos, recordEnd);
    pos = varintEnd;
    if (headers < 0) throw corrupt(`record ${index} has a negative header count ${headers}`);
    for (let h = 0; h < headers; h++) {
      const keyLength = readVarint(body, pos, recordEnd);
      if (keyLength === -1) throw corrupt(`record ${index} has a header with a null key`);
      pos = skipBytes(keyLength, varintEnd, recordEnd, 'a header key');
      pos = skipBytes(readVarint(body, pos, recordEnd), varintEnd, recordEnd, 'a header value');
    }
    if (pos !== recordEnd)
      throw corrupt(`record ${index} declares ${length} bytes but its fields take a different size`);
  }
  if (pos !== end) throw corrupt(`batch has ${end - pos} bytes after its ${count} records`);
  return { hasNullKey, nullKeyIndexes: nullKeyIndexes ?? NONE };
}

/** Where the last readVarint stopped: the byte after the varint. */
let varintEnd = 0;

/**
 * ZigZag LEB128 at `pos`, not reading at or past `limit`. Record fields are almost always one or two
 * bytes, so those take an integer fast path; anything longer than 28 bits (timestamp deltas) falls
 * back to doubles.
 */
function readVarint(body: Buffer, pos: number, limit: number): number {
  if (pos < limit) {
    const first = body[pos];
    if (first < 0x80) {
      varintEnd = pos + 1;
      return (first >>> 1) ^ -(first & 1);
    }
    if (pos + 1 < limit && body[pos + 1] < 0x80) {
      const raw = (first & 0x7f) | (body[pos + 1] << 7);
      varintEnd = pos + 2;
      return (raw >>> 1) ^ -(raw & 1);
    }
  }
  let raw = 0;
  let scale = 1;
  for (let length = 0; ; length++) {
    if (pos >= limit) throw corrupt(`record data is truncated at byte ${pos}`);
    if (length === 10) throw corrupt(`varint longer than 10 bytes at byte ${pos}`);
    const byte = body[pos++];
    raw += (byte & 0x7f) * scale;
    if (byte < 0x80) break;
    scale *= 128;
  }
  varintEnd = pos;
  return raw % 2 === 0 ? raw / 2 : -(raw + 1) / 2;
}

/** The position after a length-prefixed field of `length` bytes (-1: null) starting at `pos`. */
function skipBytes(length: number, pos: number, limit: number, what: string): number {
  if (length < -1) throw corrupt(`${what} has a negative length ${length}`);
  if (length === -1) return pos;
  if (pos + length > limit) throw corrupt(`${what} of ${length} bytes does not fit in its record`);
  return pos + length;
}
