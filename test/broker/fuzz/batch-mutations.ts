// Damaged record batches for Produce requests: the protocol frame stays well-formed, so the broker's
// record validation (not the frame decoder) has to catch them.
// Fields are read through the batch header API; the damage is written at the layout's raw offsets.
import {
  Attributes,
  attributesOf,
  BatchOffset,
  BATCH_HEADER_SIZE,
  BATCH_LENGTH_PREFIX,
  batchSize,
  compressionOf,
  crcOf,
  lastOffsetDeltaOf,
  recordCountOf,
  updateCrc,
} from '../../../src/protocol/records/batch-header.js';
import type { Prng } from './prng.js';
import { randomBatch } from './random-message.js';

export const BATCH_MUTATIONS = [
  'none',
  'crc',
  'payload-bit-flip',
  'batch-length',
  'magic',
  'record-count',
  'last-offset-delta',
  'compression-codec',
  'control-bit',
  'transactional-bit',
  'producer-id-without-sequence',
  'garbage-records',
  'record-length-varint',
  'truncated',
  'trailing-bytes',
  'two-batches',
  'legacy-message-set',
  'header-only',
] as const;
export type BatchMutation = (typeof BATCH_MUTATIONS)[number];

/** The only mutation Kafka accepts: the untouched batch. Every other one must be refused. */
export const ACCEPTABLE_BATCH_MUTATIONS: ReadonlySet<BatchMutation> = new Set(['none']);

export interface MutatedBatch {
  bytes: Buffer;
  /** The CRC was recomputed after the change, so only deeper checks can catch it. */
  crcFixed: boolean;
}

export function mutateBatch(rng: Prng, mutation: BatchMutation): MutatedBatch {
  const batch = Buffer.from(randomBatch(rng));
  const fixCrc = (): MutatedBatch => {
    updateCrc(batch);
    return { bytes: batch, crcFixed: true };
  };
  const unfixed = (bytes: Buffer = batch): MutatedBatch => ({ bytes, crcFixed: false });
  switch (mutation) {
    case 'none':
      return unfixed();
    case 'crc':
      batch.writeUInt32BE((crcOf(batch) ^ (1 << rng.int(0, 31))) >>> 0, BatchOffset.crc);
      return unfixed();
    case 'payload-bit-flip':
      batch[rng.int(BatchOffset.attributes, batch.length - 1)] ^= 1 << rng.int(0, 7);
      return unfixed();
    case 'batch-length': {
      const length = batchSize(batch) - BATCH_LENGTH_PREFIX;
      batch.writeInt32BE(
        rng.pick([-1, 0, 48, length - 1, length + 1, length + 1000, 0x7fffffff, -0x80000000]),
        BatchOffset.batchLength,
      );
      return unfixed();
    }
    case 'magic':
      // The CRC does not cover the magic byte.
      batch.writeInt8(rng.pick([0, 1, 3, -1, 127]), BatchOffset.magic);
      return unfixed();
    case 'record-count': {
      const count = recordCountOf(batch);
      batch.writeInt32BE(rng.pick([-1, 0, count + 1, 0x7fffffff, -0x80000000]), BatchOffset.recordCount);
      return fixCrc();
    }
    case 'last-offset-delta': {
      const delta = lastOffsetDeltaOf(batch);
      batch.writeInt32BE(rng.pick([-1, delta + 1, delta + 100, 0x7fffffff]), BatchOffset.lastOffsetDelta);
      if (recordCountOf(batch) === 1 && lastOffsetDeltaOf(batch) === 0) {
        batch.writeInt32BE(1, BatchOffset.lastOffsetDelta);
      }
      return fixCrc();
    }
    case 'compression-codec': {
      const attributes = attributesOf(batch);
      const current = compressionOf(batch);
      const codec = rng.pick([1, 2, 3, 4, 5, 6, 7].filter((c) => c !== current));
      batch.writeInt16BE((attributes & ~Attributes.compressionMask) | codec, BatchOffset.attributes);
      return fixCrc();
    }
    case 'control-bit':
      batch.writeInt16BE(attributesOf(batch) | Attributes.control, BatchOffset.attributes);
      return fixCrc();
    case 'transactional-bit':
      batch.writeInt16BE(attributesOf(batch) | Attributes.transactional, BatchOffset.attributes);
      return fixCrc();
    case 'producer-id-without-sequence':
      batch.writeBigInt64BE(BigInt(rng.int(0, 1000)), BatchOffset.producerId);
      batch.writeInt32BE(-1, BatchOffset.baseSequence);
      return fixCrc();
    case 'garbage-records': {
      // Same size, so every header check passes; only decoding the records shows the damage.
      rng.bytes(batch.length - BATCH_HEADER_SIZE).copy(batch, BATCH_HEADER_SIZE);
      return fixCrc();
    }
    case 'record-length-varint': {
      // The first record's length claims more bytes than the batch holds.
      if (compressionOf(batch) !== 0) {
        batch.writeInt16BE(attributesOf(batch) & ~Attributes.compressionMask, BatchOffset.attributes);
      }
      batch[BATCH_HEADER_SIZE] = rng.pick(
        [0x7e, 0x01, 0x7f].filter((byte) => byte !== batch[BATCH_HEADER_SIZE]),
      );
      return fixCrc();
    }
    case 'truncated':
      return unfixed(batch.subarray(0, rng.int(0, batch.length - 1)));
    case 'trailing-bytes':
      return unfixed(Buffer.concat([batch, rng.bytes(rng.int(1, 80))]));
    case 'two-batches':
      return unfixed(Buffer.concat([batch, randomBatch(rng)]));
    case 'legacy-message-set':
      return unfixed(legacyMessageSet(rng));
    case 'header-only': {
      const header = Buffer.from(batch.subarray(0, BATCH_HEADER_SIZE));
      header.writeInt32BE(BATCH_HEADER_SIZE - BATCH_LENGTH_PREFIX, BatchOffset.batchLength);
      header.writeInt32BE(0, BatchOffset.recordCount);
      header.writeInt32BE(0, BatchOffset.lastOffsetDelta);
      updateCrc(header);
      return { bytes: header, crcFixed: true };
    }
  }
}

/** A magic-0 message set holding one message (CRC not computed: Produce v3+ must refuse the magic first). */
function legacyMessageSet(rng: Prng): Buffer {
  const value = rng.bytes(rng.int(0, 20));
  const message = Buffer.alloc(4 + 1 + 1 + 4 + 4 + value.length);
  message.writeInt8(0, 4); // magic
  message.writeInt32BE(-1, 6); // null key
  message.writeInt32BE(value.length, 10);
  value.copy(message, 14);
  const set = Buffer.alloc(12 + message.length);
  set.writeBigInt64BE(0n, 0);
  set.writeInt32BE(message.length, 8);
  message.copy(set, 12);
  return set;
}
