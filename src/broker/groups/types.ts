// The coordinator's public request and result shapes. Handlers decode Kafka requests into these
// and encode the results back; nothing here knows about the wire format.

export type GroupState = 'Empty' | 'PreparingRebalance' | 'CompletingRebalance' | 'Stable' | 'Dead';

/** Where the coordinator persists its records: the broker wires this to the `__consumer_offsets` log. */
export interface GroupRecordStore {
  /**
   * Appends the records in order and resolves once they are durable (flushed). With `transaction`, they
   * are written as one transactional batch of that producer (TxnOffsetCommit).
   */
  append(records: GroupRecord[], transaction?: TransactionalWriter): Promise<void>;
}

/** The producer a transactional offset commit is written for. */
export interface TransactionalWriter {
  producerId: bigint;
  producerEpoch: number;
}

/** One record of `__consumer_offsets`: Kafka's key/value layout, `value: null` is a tombstone. */
export interface GroupRecord {
  key: Buffer;
  value: Buffer | null;
}

export interface ProtocolMetadata {
  name: string;
  metadata: Buffer;
}

export interface JoinGroupRequest {
  groupId: string;
  /** Empty string for a member that has no id yet. */
  memberId: string;
  groupInstanceId: string | null;
  sessionTimeoutMs: number;
  /** JoinGroup v0 has no rebalance timeout: pass the session timeout. */
  rebalanceTimeoutMs: number;
  protocolType: string;
  protocols: ProtocolMetadata[];
  clientId: string;
  clientHost: string;
  reason?: string | null;
  /** True for JoinGroup v4+ (KIP-394): a new dynamic member first receives MEMBER_ID_REQUIRED. */
  requireKnownMemberId: boolean;
  /** True for JoinGroup v9+ (KIP-814): a replaced static leader is told to skip the assignment. */
  supportSkippingAssignment?: boolean;
}

export interface JoinGroupMember {
  memberId: string;
  groupInstanceId: string | null;
  metadata: Buffer;
}

export interface JoinResult {
  errorCode: number;
  generationId: number;
  protocolType: string | null;
  protocolName: string | null;
  leader: string;
  memberId: string;
  skipAssignment: boolean;
  /** Every member's metadata for the chosen protocol; only the leader receives it. */
  members: JoinGroupMember[];
}

export interface SyncGroupRequest {
  groupId: string;
  generationId: number;
  memberId: string;
  groupInstanceId: string | null;
  /** Null when the request version does not carry it (SyncGroup < v5). */
  protocolType: string | null;
  protocolName: string | null;
  /** Only the leader sends assignments. */
  assignments: { memberId: string; assignment: Buffer }[];
}

export interface SyncResult {
  errorCode: number;
  protocolType: string | null;
  protocolName: string | null;
  assignment: Buffer;
}

export interface HeartbeatRequest {
  groupId: string;
  generationId: number;
  memberId: string;
  groupInstanceId: string | null;
}

export interface LeavingMember {
  /** Empty string when an administrator removes a static member by its instance id. */
  memberId: string;
  groupInstanceId: string | null;
  reason?: string | null;
}

export interface LeaveResult {
  /** Group-level error; when it is not NONE, `members` is empty. */
  errorCode: number;
  members: { memberId: string; groupInstanceId: string | null; errorCode: number }[];
}

export interface DescribedMember {
  memberId: string;
  groupInstanceId: string | null;
  clientId: string;
  clientHost: string;
  /** Empty unless the group is Stable (as Kafka does). */
  metadata: Buffer;
  /** Empty unless the group is Stable (as Kafka does). */
  assignment: Buffer;
}

export interface DescribedGroup {
  /** NONE even for an unknown group, which is reported in state Dead (DescribeGroups v0-v5 semantics). */
  errorCode: number;
  groupId: string;
  state: GroupState;
  protocolType: string;
  /** The chosen protocol when Stable, else the empty string. */
  protocolData: string;
  members: DescribedMember[];
}

export interface ListedGroup {
  groupId: string;
  protocolType: string;
  state: GroupState;
}

export interface TopicPartitionRef {
  topic: string;
  partition: number;
}

export interface OffsetToCommit extends TopicPartitionRef {
  offset: bigint;
  /** -1 when unknown. */
  leaderEpoch: number;
  metadata: string | null;
}

export interface OffsetCommitRequest {
  groupId: string;
  /** -1 for simple (standalone) commits outside group management. */
  generationId: number;
  memberId: string;
  groupInstanceId: string | null;
  /** -1 to use the broker default (OffsetCommit v2-v4 carry it; later versions always -1). */
  retentionTimeMs: number;
  offsets: OffsetToCommit[];
}

/** TxnOffsetCommit: offsets that take effect when the producer's transaction commits. */
export interface TxnOffsetCommitRequest {
  groupId: string;
  producerId: bigint;
  producerEpoch: number;
  /** -1 (and an empty member id) for producers that do not name the consumer's generation (before KIP-447). */
  generationId: number;
  memberId: string;
  groupInstanceId: string | null;
  offsets: OffsetToCommit[];
}

export interface PartitionError extends TopicPartitionRef {
  errorCode: number;
}

export interface FetchedOffset extends TopicPartitionRef {
  /** -1 when the group has no committed offset for the partition. */
  offset: bigint;
  leaderEpoch: number;
  metadata: string;
  errorCode: number;
}

export interface OffsetDeleteResult {
  /** Group-level error; when it is not NONE, `partitions` is empty. */
  errorCode: number;
  partitions: PartitionError[];
}
