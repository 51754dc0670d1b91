// The record layout of the compacted `__transaction_state` topic, byte-compatible with Kafka's
// TransactionLogKey (version 0: transactional id) and TransactionLogValue (versions 0 and 1; 1 is
// flexible, with the previous/next producer ids and client transaction version as tagged fields).
// Venice writes value version 0, the layout every Kafka release reads, and reads both.
import { ProtocolError, Reader, Writer } from '../../protocol/primitives.js';
import { isTxnStatus, type TopicPartitions, type TxnLogValue } from './state.js';

const KEY_VERSION = 0;
const VALUE_VERSION_WRITTEN = 0;
const FLEXIBLE_VALUE_VERSION = 1;
const TAG_PREVIOUS_PRODUCER_ID = 0;

export function encodeTxnLogKey(transactionalId: string): Buffer {
  return new Writer(32).int16(KEY_VERSION).string(transactionalId).toBuffer();
}

/** The transactional id of a key, or undefined for a key version Venice does not know. */
export function decodeTxnLogKey(key: Buffer): string | undefined {
  const reader = new Reader(key);
  const version = reader.int16();
  if (version !== KEY_VERSION) return undefined;
  return reader.string();
}

export function encodeTxnLogValue(value: TxnLogValue): Buffer {
  const writer = new Writer(64)
    .int16(VALUE_VERSION_WRITTEN)
    .int64(value.producerId)
    .int16(value.producerEpoch)
    .int32(value.transactionTimeoutMs)
    .int8(value.status)
    .int32(value.partitions.length);
  for (const { topic, partitions } of value.partitions) {
    writer.string(topic).int32(partitions.length);
    for (const partition of partitions) writer.int32(partition);
  }
  return writer.int64(BigInt(value.lastUpdateTimestampMs)).int64(BigInt(value.startTimestampMs)).toBuffer();
}

export function decodeTxnLogValue(buf: Buffer): TxnLogValue {
  const reader = new Reader(buf);
  const version = reader.int16();
  if (version < 0 || version > FLEXIBLE_VALUE_VERSION) {
    throw new ProtocolError(`unknown __transaction_state value version ${version}`);
  }
  const flexible = version >= FLEXIBLE_VALUE_VERSION;
  const producerId = reader.int64();
  const producerEpoch = reader.int16();
  const transactionTimeoutMs = reader.int32();
  const status = reader.int8();
  if (!isTxnStatus(status)) throw new ProtocolError(`unknown transaction status ${status}`);
  const partitions: TopicPartitions[] = [];
  const topicCount = reader.arrayLength(flexible);
  for (let i = 0; i < topicCount; i++) {
    const topic = flexible ? reader.compactString() : reader.string();
    const count = reader.arrayLength(flexible);
    const ids: number[] = [];
    for (let j = 0; j < count; j++) ids.push(reader.int32());
    if (flexible) skipTaggedFields(reader);
    partitions.push({ topic, partitions: ids });
  }
  const lastUpdateTimestampMs = Number(reader.int64());
  const startTimestampMs = Number(reader.int64());
  let previousProducerId = -1n;
  if (flexible) {
    const tagCount = reader.uvarint();
    for (let i = 0; i < tagCount; i++) {
      const tag = reader.uvarint();
      const size = reader.uvarint();
      if (tag === TAG_PREVIOUS_PRODUCER_ID) previousProducerId = new Reader(reader.raw(size)).int64();
      else reader.skip(size);
    }
  }
  return {
    producerId,
    producerEpoch,
    previousProducerId,
    transactionTimeoutMs,
    status,
    partitions,
    lastUpdateTimestampMs,
    startTimestampMs,
  };
}

function skipTaggedFields(reader: Reader): void {
  const count = reader.uvarint();
  for (let i = 0; i < count; i++) {
    reader.uvarint();
    reader.skip(reader.uvarint());
  }
}
