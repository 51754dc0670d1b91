// The record layout of the compacted `__consumer_offsets` topic, byte-compatible with Kafka's
// (OffsetCommitKey/Value, GroupMetadataKey/Value) so tools that read that topic understand Venice's.
// Each key and value starts with an INT16 version. Offset keys are versions 0/1, group keys version 2;
// higher key versions belong to record types Venice does not write and are reported as `other`.
import { ProtocolError, Reader, Writer } from '../../protocol/primitives.js';

/** Kafka writes offset keys as version 1 (identical to 0). */
const OFFSET_COMMIT_KEY_VERSION = 1;
const GROUP_METADATA_KEY_VERSION = 2;
/** Value v1 is the only one carrying an explicit expiry; v3 carries the leader epoch. */
const OFFSET_VALUE_WITH_EXPIRY = 1;
const OFFSET_VALUE_CURRENT = 3;
/** v3 is the newest non-flexible layout: every Kafka release since 2.3 reads it. */
const GROUP_VALUE_CURRENT = 3;
/** Versions from which values use compact encodings and tagged fields (KIP-482). */
const FIRST_FLEXIBLE_VALUE_VERSION = 4;

export type GroupRecordKey =
  | { kind: 'offset'; group: string; topic: string; partition: number }
  | { kind: 'group'; group: string }
  | { kind: 'other'; version: number };

export interface OffsetCommitValue {
  offset: bigint;
  /** -1 when unknown. */
  leaderEpoch: number;
  metadata: string;
  commitTimestamp: number;
  /** -1 when the offset follows the broker's retention policy instead. */
  expireTimestamp: number;
}

export interface PersistedMember {
  memberId: string;
  groupInstanceId: string | null;
  clientId: string;
  clientHost: string;
  rebalanceTimeoutMs: number;
  sessionTimeoutMs: number;
  /** The member's metadata for the group's chosen protocol. */
  subscription: Buffer;
  assignment: Buffer;
}

export interface GroupMetadataValue {
  protocolType: string;
  generation: number;
  protocol: string | null;
  leader: string | null;
  /** -1 when unknown (values before v2). */
  currentStateTimestamp: number;
  members: PersistedMember[];
}

export function encodeOffsetCommitKey(group: string, topic: string, partition: number): Buffer {
  return new Writer(64)
    .int16(OFFSET_COMMIT_KEY_VERSION)
    .string(group)
    .string(topic)
    .int32(partition)
    .toBuffer();
}

export function encodeGroupMetadataKey(group: string): Buffer {
  return new Writer(32).int16(GROUP_METADATA_KEY_VERSION).string(group).toBuffer();
}

export function decodeRecordKey(key: Buffer): GroupRecordKey {
  const reader = new Reader(key);
  const version = reader.int16();
  if (version === 0 || version === 1) {
    return { kind: 'offset', group: reader.string(), topic: reader.string(), partition: reader.int32() };
  }
  if (version === GROUP_METADATA_KEY_VERSION) return { kind: 'group', group: reader.string() };
  return { kind: 'other', version };
}

export function encodeOffsetCommitValue(value: OffsetCommitValue): Buffer {
  const writer = new Writer(64);
  if (value.expireTimestamp >= 0) {
    writer
      .int16(OFFSET_VALUE_WITH_EXPIRY)
      .int64(value.offset)
      .string(value.metadata)
      .int64(BigInt(value.commitTimestamp))
      .int64(BigInt(value.expireTimestamp));
  } else {
    writer
      .int16(OFFSET_VALUE_CURRENT)
      .int64(value.offset)
      .int32(value.leaderEpoch)
      .string(value.metadata)
      .int64(BigInt(value.commitTimestamp));
  }
  return writer.toBuffer();
}

export function decodeOffsetCommitValue(buf: Buffer): OffsetCommitValue {
  const reader = new Reader(buf);
  const version = reader.int16();
  if (version < 0 || version > 4) throw new ProtocolError(`unknown offset commit value version ${version}`);
  const flexible = version >= FIRST_FLEXIBLE_VALUE_VERSION;
  const offset = reader.int64();
  const leaderEpoch = version >= 3 ? reader.int32() : -1;
  const metadata = flexible ? reader.compactString() : reader.string();
  const commitTimestamp = Number(reader.int64());
  const expireTimestamp = version === 1 ? Number(reader.int64()) : -1;
  if (flexible) skipTaggedFields(reader);
  return { offset, leaderEpoch, metadata, commitTimestamp, expireTimestamp };
}

export function encodeGroupMetadataValue(value: GroupMetadataValue): Buffer {
  const writer = new Writer(256)
    .int16(GROUP_VALUE_CURRENT)
    .string(value.protocolType)
    .int32(value.generation)
    .nullableString(value.protocol)
    .nullableString(value.leader)
    .int64(BigInt(value.currentStateTimestamp))
    .int32(value.members.length);
  for (const member of value.members) {
    writer
      .string(member.memberId)
      .nullableString(member.groupInstanceId)
      .string(member.clientId)
      .string(member.clientHost)
      .int32(member.rebalanceTimeoutMs)
      .int32(member.sessionTimeoutMs)
      .bytes(member.subscription)
      .bytes(member.assignment);
  }
  return writer.toBuffer();
}

export function decodeGroupMetadataValue(buf: Buffer): GroupMetadataValue {
  const reader = new Reader(buf);
  const version = reader.int16();
  if (version < 0 || version > 4) throw new ProtocolError(`unknown group metadata value version ${version}`);
  const fields = new VersionedFields(reader, version >= FIRST_FLEXIBLE_VALUE_VERSION);
  const protocolType = fields.string();
  const generation = reader.int32();
  const protocol = fields.nullableString();
  const leader = fields.nullableString();
  const currentStateTimestamp = version >= 2 ? Number(reader.int64()) : -1;
  const memberCount = fields.arrayLength();
  const members: PersistedMember[] = [];
  for (let i = 0; i < memberCount; i++) {
    const memberId = fields.string();
    const groupInstanceId = version >= 3 ? fields.nullableString() : null;
    const clientId = fields.string();
    const clientHost = fields.string();
    const rebalanceTimeoutMs = version >= 1 ? reader.int32() : -1;
    const sessionTimeoutMs = reader.int32();
    const subscription = Buffer.from(fields.bytes());
    const assignment = Buffer.from(fields.bytes());
    fields.endStruct();
    members.push({
      memberId,
      groupInstanceId,
      clientId,
      clientHost,
      // Values before v1 had a single timeout for both purposes.
      rebalanceTimeoutMs: rebalanceTimeoutMs < 0 ? sessionTimeoutMs : rebalanceTimeoutMs,
      sessionTimeoutMs,
      subscription,
      assignment,
    });
  }
  fields.endStruct();
  return { protocolType, generation, protocol, leader, currentStateTimestamp, members };
}

/** Reads strings, bytes and arrays in the classic or the compact (flexible) encoding. */
class VersionedFields {
  constructor(
    private readonly reader: Reader,
    private readonly flexible: boolean,
  ) {}

  string(): string {
    return this.flexible ? this.reader.compactString() : this.reader.string();
  }
  nullableString(): string | null {
    return this.flexible ? this.reader.compactNullableString() : this.reader.nullableString();
  }
  bytes(): Buffer {
    return this.flexible ? this.reader.compactBytes() : this.reader.bytes();
  }
  arrayLength(): number {
    return Math.max(this.reader.arrayLength(this.flexible), 0);
  }
  endStruct(): void {
    if (this.flexible) skipTaggedFields(this.reader);
  }
}

function skipTaggedFields(reader: Reader): void {
  const count = reader.uvarint();
  for (let i = 0; i < count; i++) {
    reader.uvarint(); // tag
    reader.skip(reader.uvarint());
  }
}
