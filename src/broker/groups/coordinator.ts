// The classic group coordinator (JoinGroup/SyncGroup/Heartbeat/LeaveGroup rebalance protocol, KIP-345
// static membership, KIP-394 member ids) and the committed-offset store behind OffsetCommit/OffsetFetch.
// The broker is a single node, so it coordinates every group. State lives in memory and is persisted
// as Kafka-compatible records through `store`; `load` rebuilds it from those records at startup.
import { randomUUID } from 'node:crypto';
import { ErrorCode } from '../../protocol/error-codes.js';
import { ClassicGroup } from './group.js';
import { EMPTY_BYTES, GroupMember, joinError, syncError } from './member.js';
import {
  decodeGroupMetadataValue,
  decodeOffsetCommitValue,
  decodeRecordKey,
  encodeGroupMetadataKey,
  encodeGroupMetadataValue,
  encodeOffsetCommitKey,
  encodeOffsetCommitValue,
  type GroupMetadataValue,
  type OffsetCommitValue,
} from './records.js';
import { CONSUMER_PROTOCOL_TYPE } from './subscription.js';
import { realTimers, type Timers } from './timers.js';
import { PendingTxnOffsets, TransactionalReplay, type StoredGroupRecord } from './txn-offsets.js';
import type {
  DescribedGroup,
  FetchedOffset,
  GroupRecord,
  GroupRecordStore,
  HeartbeatRequest,
  JoinGroupRequest,
  JoinResult,
  LeaveResult,
  LeavingMember,
  ListedGroup,
  OffsetCommitRequest,
  OffsetDeleteResult,
  PartitionError,
  SyncGroupRequest,
  SyncResult,
  TopicPartitionRef,
  TxnOffsetCommitRequest,
} from './types.js';

export interface GroupCoordinatorOptions {
  /**
   * How long the first rebalance of an empty group waits for more members (Kafka's
   * group.initial.rebalance.delay.ms, 3000 there). Venice defaults to 0: a local broker mostly serves one
   * consumer per group, and waiting 3 s on every start costs more than the occasional extra rebalance
   * when several consumers start together. A function is read at each rebalance, so a dynamic broker
   * config change applies to the next group that starts.
   */
  initialRebalanceDelayMs?: number | (() => number);
  /** group.min.session.timeout.ms (Kafka default 6000). */
  minSessionTimeoutMs?: number;
  /** group.max.session.timeout.ms (Kafka default 1800000). */
  maxSessionTimeoutMs?: number;
  /** group.max.size (Kafka default: unlimited). */
  maxGroupSize?: number;
  /** How long a new member may wait in a rebalance before it is dropped (Kafka: 5 minutes). */
  newMemberJoinTimeoutMs?: number;
  /** offset.metadata.max.bytes (Kafka default 4096). */
  maxOffsetMetadataBytes?: number;
  timers?: Timers;
  /** Where failures that no client will see (background writes) are reported. */
  warn?: (message: string) => void;
}

type JoinWaiter = (result: JoinResult) => void;

/** Error code a client receives when the store failed: retriable, the client retries the request. */
const STORE_FAILURE = ErrorCode.COORDINATOR_NOT_AVAILABLE;

export class GroupCoordinator {
  private readonly groups = new Map<string, ClassicGroup>();
  private readonly timers: Timers;
  private readonly initialRebalanceDelay: () => number;
  private readonly minSessionTimeoutMs: number;
  private readonly maxSessionTimeoutMs: number;
  private readonly maxGroupSize: number;
  private readonly newMemberJoinTimeoutMs: number;
  private readonly maxOffsetMetadataBytes: number;
  private readonly warn: (message: string) => void;
  /** Offsets of open transactions, applied at their commit marker (see txn-offsets.ts). */
  private pendingTxnOffsets = new PendingTxnOffsets();
  private closed = false;

  constructor(
    private readonly store: GroupRecordStore,
    options: GroupCoordinatorOptions = {},
  ) {
    this.timers = options.timers ?? realTimers;
    const delay = options.initialRebalanceDelayMs ?? 0;
    this.initialRebalanceDelay = typeof delay === 'number' ? () => delay : delay;
    this.minSessionTimeoutMs = options.minSessionTimeoutMs ?? 6000;
    this.maxSessionTimeoutMs = options.maxSessionTimeoutMs ?? 1_800_000;
    this.maxGroupSize = options.maxGroupSize ?? Number.POSITIVE_INFINITY;
    this.newMemberJoinTimeoutMs = options.newMemberJoinTimeoutMs ?? 300_000;
    this.maxOffsetMetadataBytes = options.maxOffsetMetadataBytes ?? 4096;
    this.warn = options.warn ?? ((message) => console.warn(`[groups] ${message}`));
  }

  // ---------------------------------------------------------------- JoinGroup

  joinGroup(request: JoinGroupRequest): Promise<JoinResult> {
    const { groupId, memberId } = request;
    if (this.closed) return Promise.resolve(joinError(memberId, ErrorCode.COORDINATOR_NOT_AVAILABLE));
    if (groupId === '') return Promise.resolve(joinError(memberId, ErrorCode.INVALID_GROUP_ID));
    if (
      request.sessionTimeoutMs < this.minSessionTimeoutMs ||
      request.sessionTimeoutMs > this.maxSessionTimeoutMs
    ) {
      return Promise.resolve(joinError(memberId, ErrorCode.INVALID_SESSION_TIMEOUT));
    }
    const isNewMember = memberId === '';
    let group = this.groups.get(groupId);
    if (!group) {
      // Only a member without an id may create a group; a known id for an unknown group is stale.
      if (!isNewMember) return Promise.resolve(joinError(memberId, ErrorCode.UNKNOWN_MEMBER_ID));
      group = new ClassicGroup(groupId);
      this.groups.set(groupId, group);
    }
    const target = group;
    return new Promise<JoinResult>((resolve) => {
      if (!this.acceptsJoiningMember(target, memberId)) {
        resolve(joinError('', ErrorCode.GROUP_MAX_SIZE_REACHED));
      } else if (isNewMember) {
        this.joinAsNewMember(target, request, resolve);
      } else {
        this.joinAsCurrentMember(target, request, resolve);
      }
      this.tryCompleteJoin(target);
      this.discardIfUnused(target);
    });
  }

  private acceptsJoiningMember(group: ClassicGroup, memberId: string): boolean {
    switch (group.state) {
      case 'Empty':
      case 'Dead':
        return true;
      case 'PreparingRebalance':
        return (group.get(memberId)?.isAwaitingJoin ?? false) || group.numAwaitingJoin() < this.maxGroupSize;
      case 'CompletingRebalance':
      case 'Stable':
        return group.has(memberId) || group.size < this.maxGroupSize;
    }
  }

  private joinAsNewMember(group: ClassicGroup, request: JoinGroupRequest, resolve: JoinWaiter): void {
    if (group.is('Dead')) return resolve(joinError('', ErrorCode.COORDINATOR_NOT_AVAILABLE));
    if (!supportsRequestProtocols(group, request)) {
      return resolve(joinError('', ErrorCode.INCONSISTENT_GROUP_PROTOCOL));
    }
    const newMemberId = `${request.groupInstanceId ?? request.clientId}-${randomUUID()}`;
    if (request.groupInstanceId !== null) {
      const oldMemberId = group.staticMemberId(request.groupInstanceId);
      if (oldMemberId !== undefined) {
        this.replaceStaticMember(group, oldMemberId, newMemberId, request, resolve);
      } else {
        this.addMemberAndRebalance(group, newMemberId, request, resolve);
      }
    } else if (request.requireKnownMemberId) {
      // KIP-394: hand out an id and wait for the member to come back with it, so retries of a
      // timed-out JoinGroup cannot pile up anonymous members.
      this.addPendingMember(group, newMemberId, request.sessionTimeoutMs);
      resolve(joinError(newMemberId, ErrorCode.MEMBER_ID_REQUIRED));
    } else {
      this.addMemberAndRebalance(group, newMemberId, request, resolve);
    }
  }

  private joinAsCurrentMember(group: ClassicGroup, request: JoinGroupRequest, resolve: JoinWaiter): void {
    const { memberId } = request;
    if (group.is('Dead')) return resolve(joinError(memberId, ErrorCode.COORDINATOR_NOT_AVAILABLE));
    if (!supportsRequestProtocols(group, request)) {
      return resolve(joinError(memberId, ErrorCode.INCONSISTENT_GROUP_PROTOCOL));
    }
    if (group.isPendingMember(memberId)) {
      // Pending ids are only given to dynamic members; a static one must rejoin without an id.
      if (request.groupInstanceId !== null) return resolve(joinError(memberId, ErrorCode.UNKNOWN_MEMBER_ID));
      group.cancelPending(memberId);
      return this.addMemberAndRebalance(group, memberId, request, resolve);
    }
    const error = validateCurrentMember(group, memberId, request.groupInstanceId);
    if (error !== ErrorCode.NONE) return resolve(joinError(memberId, error));
    const member = group.get(memberId)!;
    switch (group.state) {
      case 'PreparingRebalance':
        return this.updateMemberAndRebalance(group, member, request, resolve);
      case 'CompletingRebalance':
        // Same metadata: the member probably lost the JoinGroup response; resend this generation's.
        if (member.matches(request.protocols)) return resolve(this.joinResponse(group, member, false));
        return this.updateMemberAndRebalance(group, member, request, resolve);
      case 'Stable':
        // The leader rejoining forces a rebalance: that is how it reacts to metadata changes
        // (new partitions) that do not change any member's subscription.
        if (group.isLeader(memberId) || !member.matches(request.protocols)) {
          return this.updateMemberAndRebalance(group, member, request, resolve);
        }
        return resolve(this.joinResponse(group, member, false));
      case 'Empty':
      case 'Dead':
        return resolve(joinError(memberId, ErrorCode.UNKNOWN_MEMBER_ID));
    }
  }

  private addMemberAndRebalance(
    group: ClassicGroup,
    memberId: string,
    request: JoinGroupRequest,
    resolve: JoinWaiter,
  ): void {
    const member = new GroupMember({
      memberId,
      groupInstanceId: request.groupInstanceId,
      clientId: request.clientId,
      clientHost: request.clientHost,
      sessionTimeoutMs: request.sessionTimeoutMs,
      rebalanceTimeoutMs: request.rebalanceTimeoutMs,
      protocols: request.protocols,
    });
    member.isNew = true;
    if (group.initialDelay) group.initialDelay.newMemberAdded = true;
    group.add(member, request.protocolType, resolve);
    // A new member cannot heartbeat until its first JoinGroup returns; if its client gave up, this
    // bounds how long it lingers in the rebalance.
    this.scheduleSessionExpiry(group, member, this.newMemberJoinTimeoutMs);
    this.maybePrepareRebalance(group);
  }

  private updateMemberAndRebalance(
    group: ClassicGroup,
    member: GroupMember,
    request: JoinGroupRequest,
    resolve: JoinWaiter,
  ): void {
    group.updateMember(
      member,
      request.protocols,
      request.sessionTimeoutMs,
      request.rebalanceTimeoutMs,
      resolve,
    );
    this.maybePrepareRebalance(group);
  }

  /** KIP-345: a known static member restarted; it takes over its old member id's place and assignment. */
  private replaceStaticMember(
    group: ClassicGroup,
    oldMemberId: string,
    newMemberId: string,
    request: JoinGroupRequest,
    resolve: JoinWaiter,
  ): void {
    const instanceId = request.groupInstanceId!;
    const previousLeader = group.leaderId;
    const member = group.replaceStaticMember(instanceId, oldMemberId, newMemberId);
    const previous = {
      protocols: member.protocols,
      sessionTimeoutMs: member.sessionTimeoutMs,
      rebalanceTimeoutMs: member.rebalanceTimeoutMs,
    };
    group.updateMember(
      member,
      request.protocols,
      request.sessionTimeoutMs,
      request.rebalanceTimeoutMs,
      resolve,
    );
    this.scheduleSessionExpiry(group, member);

    switch (group.state) {
      case 'Stable':
        // Without a change of the chosen protocol the assignment still holds: persist the new id, no rebalance.
        if (group.selectProtocol() !== group.protocolName) return this.maybePrepareRebalance(group);
        this.persistGroup(group).then(
          () => {
            // Removed, replaced again (both answered it already) or swept into a rebalance that will answer it.
            if (group.get(newMemberId) !== member || !group.is('Stable')) return;
            const isLeader = group.isLeader(newMemberId);
            const skipAssignment = request.supportSkippingAssignment === true;
            // Before JoinGroup v9 the old leader id is returned so a restarted leader does not run a
            // pointless assignment that a Stable group would ignore; from v9 it is told to skip it.
            member.completeJoin({
              ...this.joinResponse(group, member, skipAssignment && isLeader),
              leader: skipAssignment ? (group.leaderId ?? '') : (previousLeader ?? ''),
              members: skipAssignment && isLeader ? group.currentMemberMetadata() : [],
            });
          },
          (error: unknown) => {
            this.warn(`failed to persist group ${group.groupId}: ${describe(error)}`);
            if (group.get(newMemberId) !== member || !group.is('Stable')) return;
            // Undo the replacement: the old id stays valid, the new member retries.
            const waiter = member.takeJoinWaiter();
            group.updateMember(
              member,
              previous.protocols,
              previous.sessionTimeoutMs,
              previous.rebalanceTimeoutMs,
              null,
            );
            group.replaceStaticMember(instanceId, newMemberId, oldMemberId);
            this.scheduleSessionExpiry(group, member);
            waiter?.(joinError('', STORE_FAILURE));
          },
        );
        return;
      case 'CompletingRebalance':
        // The leader may already be assigning to the old id; only a new rebalance gets the new id an assignment.
        return this.prepareRebalance(group);
      case 'PreparingRebalance':
      case 'Empty':
      case 'Dead':
        return;
    }
  }

  private addPendingMember(group: ClassicGroup, memberId: string, sessionTimeoutMs: number): void {
    const cancel = this.schedule(sessionTimeoutMs, () => {
      if (!group.pendingMembers.has(memberId)) return;
      group.pendingMembers.delete(memberId);
      this.tryCompleteJoin(group);
      this.discardIfUnused(group);
    });
    group.pendingMembers.set(memberId, cancel);
  }

  /** A JoinGroup response for the current generation; only the leader gets the member list. */
  private joinResponse(group: ClassicGroup, member: GroupMember, skipAssignment: boolean): JoinResult {
    const isLeader = group.isLeader(member.memberId);
    return {
      errorCode: ErrorCode.NONE,
      generationId: group.generationId,
      protocolType: group.protocolType,
      protocolName: group.protocolName,
      leader: group.leaderId ?? '',
      memberId: member.memberId,
      skipAssignment,
      members: isLeader ? group.currentMemberMetadata() : [],
    };
  }

  // ---------------------------------------------------------------- rebalance machinery

  private maybePrepareRebalance(group: ClassicGroup): void {
    if (group.canRebalance()) this.prepareRebalance(group);
  }

  private prepareRebalance(group: ClassicGroup): void {
    // Members waiting for this generation's assignment must rejoin instead.
    if (group.is('CompletingRebalance')) this.propagateAssignment(group, ErrorCode.REBALANCE_IN_PROGRESS);
    this.cancelSyncTimer(group);
    this.cancelJoinTimer(group);
    const wasEmpty = group.is('Empty');
    group.transitionTo('PreparingRebalance', this.timers.now());
    const initialDelayMs = this.initialRebalanceDelay();
    if (wasEmpty && initialDelayMs > 0) {
      group.initialDelay = {
        stepMs: initialDelayMs,
        remainingMs: Math.max(group.rebalanceTimeoutMs() - initialDelayMs, 0),
        newMemberAdded: false,
      };
      group.cancelJoinTimer = this.schedule(initialDelayMs, () => this.onInitialDelayExpired(group));
    } else {
      group.cancelJoinTimer = this.schedule(group.rebalanceTimeoutMs(), () => this.completeJoin(group));
    }
    this.tryCompleteJoin(group);
  }

  /** The initial delay restarts while members keep arriving, bounded by the rebalance timeout. */
  private onInitialDelayExpired(group: ClassicGroup): void {
    const delay = group.initialDelay;
    if (!delay || !group.is('PreparingRebalance')) return;
    if (delay.newMemberAdded && delay.remainingMs > 0) {
      const next = Math.min(delay.stepMs, delay.remainingMs);
      delay.newMemberAdded = false;
      delay.remainingMs -= next;
      group.cancelJoinTimer = this.schedule(next, () => this.onInitialDelayExpired(group));
      return;
    }
    this.completeJoin(group);
  }

  private tryCompleteJoin(group: ClassicGroup): void {
    if (group.is('PreparingRebalance') && group.initialDelay === null && group.hasAllMembersJoined()) {
      this.completeJoin(group);
    }
  }

  /** Ends the join phase: drops dynamic members that did not rejoin, starts the next generation, answers everyone. */
  private completeJoin(group: ClassicGroup): void {
    if (!group.is('PreparingRebalance')) return;
    this.cancelJoinTimer(group);
    group.initialDelay = null;
    for (const member of group.notYetRejoinedMembers()) {
      // Static members keep their place: their session timeout decides whether they are gone.
      if (member.groupInstanceId === null) this.removeMember(group, member);
    }
    if (!group.maybeElectNewJoinedLeader() && group.size > 0) {
      // Only static members remain and none rejoined: wait another round for them.
      group.cancelJoinTimer = this.schedule(group.rebalanceTimeoutMs(), () => this.completeJoin(group));
      return;
    }
    group.initNextGeneration(this.timers.now());
    if (group.is('Empty')) {
      this.persistGroup(group).catch((error: unknown) => {
        // Harmless: after a restart the previous generation would load and its members time out.
        this.warn(`failed to persist empty group ${group.groupId}: ${describe(error)}`);
      });
      this.discardIfUnused(group);
      return;
    }
    for (const member of group.members.values()) {
      member.completeJoin(this.joinResponse(group, member, false));
      this.scheduleSessionExpiry(group, member);
      member.isNew = false;
      group.pendingSyncMembers.add(member.memberId);
    }
    const generationId = group.generationId;
    group.cancelSyncTimer = this.schedule(group.rebalanceTimeoutMs(), () =>
      this.onSyncTimeout(group, generationId),
    );
  }

  /** Members that got this generation's JoinGroup response but never synced are removed. */
  private onSyncTimeout(group: ClassicGroup, generationId: number): void {
    group.cancelSyncTimer = null;
    if (generationId !== group.generationId) return;
    if (!group.is('CompletingRebalance') && !group.is('Stable')) return;
    if (group.pendingSyncMembers.size === 0) return;
    for (const memberId of [...group.pendingSyncMembers]) {
      const member = group.get(memberId);
      if (member) this.removeMember(group, member);
    }
    this.prepareRebalance(group);
  }

  private propagateAssignment(group: ClassicGroup, errorCode: number): void {
    for (const member of group.members.values()) {
      if (errorCode !== ErrorCode.NONE) member.assignment = EMPTY_BYTES;
      const answered = member.completeSync(
        errorCode === ErrorCode.NONE
          ? {
              errorCode,
              protocolType: group.protocolType,
              protocolName: group.protocolName,
              assignment: member.assignment,
            }
          : syncError(errorCode),
      );
      // The session may have lapsed while the member waited on the leader or the store.
      if (answered) this.scheduleSessionExpiry(group, member);
    }
  }

  private removeMember(group: ClassicGroup, member: GroupMember): void {
    member.cancelSessionTimer?.();
    member.cancelSessionTimer = null;
    // Answer anything still waiting so no request hangs; UNKNOWN_MEMBER_ID makes a live client rejoin.
    member.completeJoin(joinError('', ErrorCode.UNKNOWN_MEMBER_ID));
    member.completeSync(syncError(ErrorCode.UNKNOWN_MEMBER_ID));
    group.remove(member.memberId);
  }

  private removeMemberAndUpdateGroup(group: ClassicGroup, member: GroupMember): void {
    this.removeMember(group, member);
    switch (group.state) {
      case 'Stable':
      case 'CompletingRebalance':
        return this.maybePrepareRebalance(group);
      case 'PreparingRebalance':
        return this.tryCompleteJoin(group);
      case 'Empty':
      case 'Dead':
        return;
    }
  }

  private scheduleSessionExpiry(
    group: ClassicGroup,
    member: GroupMember,
    timeoutMs = member.sessionTimeoutMs,
  ): void {
    member.cancelSessionTimer?.();
    member.cancelSessionTimer = this.schedule(timeoutMs, () => this.onSessionExpired(group, member));
  }

  private onSessionExpired(group: ClassicGroup, member: GroupMember): void {
    member.cancelSessionTimer = null;
    if (this.groups.get(group.groupId) !== group || group.is('Dead')) return;
    if (group.get(member.memberId) !== member) return;
    if (!member.isNew && (member.isAwaitingJoin || member.isAwaitingSync)) {
      // Its request is parked here, so it cannot heartbeat; the rebalance timeout bounds that wait.
      this.scheduleSessionExpiry(group, member);
      return;
    }
    this.removeMemberAndUpdateGroup(group, member);
    this.discardIfUnused(group);
  }

  private cancelJoinTimer(group: ClassicGroup): void {
    group.cancelJoinTimer?.();
    group.cancelJoinTimer = null;
  }

  private cancelSyncTimer(group: ClassicGroup): void {
    group.cancelSyncTimer?.();
    group.cancelSyncTimer = null;
  }

  /**
   * Forgets a group that holds nothing worth keeping and was never persisted (generation 0, no members,
   * no offsets), e.g. one created by a JoinGroup that then failed.
   */
  private discardIfUnused(group: ClassicGroup): void {
    if (
      group.is('Empty') &&
      group.generationId === 0 &&
      group.size === 0 &&
      group.pendingMembers.size === 0 &&
      group.offsets.size === 0 &&
      group.inflightWrites === 0 &&
      this.groups.get(group.groupId) === group
    ) {
      this.groups.delete(group.groupId);
    }
  }

  // ---------------------------------------------------------------- SyncGroup

  syncGroup(request: SyncGroupRequest): Promise<SyncResult> {
    const { groupId, memberId } = request;
    if (this.closed) return Promise.resolve(syncError(ErrorCode.COORDINATOR_NOT_AVAILABLE));
    if (groupId === '') return Promise.resolve(syncError(ErrorCode.INVALID_GROUP_ID));
    const group = this.groups.get(groupId);
    if (!group) return Promise.resolve(syncError(ErrorCode.UNKNOWN_MEMBER_ID));
    if (group.is('Dead')) return Promise.resolve(syncError(ErrorCode.COORDINATOR_NOT_AVAILABLE));
    let error = validateCurrentMember(group, memberId, request.groupInstanceId);
    if (error === ErrorCode.NONE && request.generationId !== group.generationId)
      error = ErrorCode.ILLEGAL_GENERATION;
    if (
      error === ErrorCode.NONE &&
      ((request.protocolType !== null && request.protocolType !== group.protocolType) ||
        (request.protocolName !== null && request.protocolName !== group.protocolName))
    ) {
      error = ErrorCode.INCONSISTENT_GROUP_PROTOCOL;
    }
    if (error !== ErrorCode.NONE) return Promise.resolve(syncError(error));
    const member = group.get(memberId)!;

    switch (group.state) {
      case 'Empty':
        return Promise.resolve(syncError(ErrorCode.UNKNOWN_MEMBER_ID));
      case 'PreparingRebalance':
        return Promise.resolve(syncError(ErrorCode.REBALANCE_IN_PROGRESS));
      case 'Stable':
        this.markSynced(group, memberId);
        this.scheduleSessionExpiry(group, member);
        return Promise.resolve({
          errorCode: ErrorCode.NONE,
          protocolType: group.protocolType,
          protocolName: group.protocolName,
          assignment: member.assignment,
        });
      case 'CompletingRebalance':
        return new Promise<SyncResult>((resolve) => {
          member.awaitSync(resolve);
          this.markSynced(group, memberId);
          if (group.isLeader(memberId)) this.storeLeaderAssignment(group, request.assignments);
        });
      case 'Dead':
        return Promise.resolve(syncError(ErrorCode.COORDINATOR_NOT_AVAILABLE));
    }
  }

  private markSynced(group: ClassicGroup, memberId: string): void {
    group.pendingSyncMembers.delete(memberId);
    if (group.pendingSyncMembers.size === 0) this.cancelSyncTimer(group);
  }

  /** Persists the leader's assignment, then hands every member its share and makes the group Stable. */
  private storeLeaderAssignment(group: ClassicGroup, assignments: SyncGroupRequest['assignments']): void {
    const byMember = new Map<string, Buffer>();
    for (const { memberId, assignment } of assignments) byMember.set(memberId, assignment);
    // Members the leader left out get an empty assignment.
    for (const memberId of group.members.keys())
      if (!byMember.has(memberId)) byMember.set(memberId, EMPTY_BYTES);
    const generationId = group.generationId;
    const stillCurrent = () => group.is('CompletingRebalance') && group.generationId === generationId;
    this.persistGroup(group, byMember).then(
      () => {
        // A join may have started another rebalance meanwhile; that one supersedes this assignment.
        if (!stillCurrent()) return;
        for (const member of group.members.values())
          member.assignment = byMember.get(member.memberId) ?? EMPTY_BYTES;
        this.propagateAssignment(group, ErrorCode.NONE);
        group.transitionTo('Stable', this.timers.now());
      },
      (error: unknown) => {
        this.warn(`failed to persist the assignment of group ${group.groupId}: ${describe(error)}`);
        if (!stillCurrent()) return;
        this.propagateAssignment(group, STORE_FAILURE);
        this.maybePrepareRebalance(group);
      },
    );
  }

  // ---------------------------------------------------------------- Heartbeat / LeaveGroup

  heartbeat(request: HeartbeatRequest): number {
    if (this.closed) return ErrorCode.COORDINATOR_NOT_AVAILABLE;
    if (request.groupId === '') return ErrorCode.INVALID_GROUP_ID;
    const group = this.groups.get(request.groupId);
    if (!group) return ErrorCode.UNKNOWN_MEMBER_ID;
    if (group.is('Dead')) return ErrorCode.COORDINATOR_NOT_AVAILABLE;
    const error = validateCurrentMember(group, request.memberId, request.groupInstanceId);
    if (error !== ErrorCode.NONE) return error;
    if (request.generationId !== group.generationId) return ErrorCode.ILLEGAL_GENERATION;
    const member = group.get(request.memberId)!;
    switch (group.state) {
      case 'Empty':
      case 'Dead':
        return ErrorCode.UNKNOWN_MEMBER_ID;
      case 'PreparingRebalance':
        this.scheduleSessionExpiry(group, member);
        return ErrorCode.REBALANCE_IN_PROGRESS;
      case 'CompletingRebalance':
      case 'Stable':
        // Clients may heartbeat between their JoinGroup and SyncGroup responses.
        this.scheduleSessionExpiry(group, member);
        return ErrorCode.NONE;
    }
  }

  leaveGroup(groupId: string, members: LeavingMember[]): LeaveResult {
    if (this.closed) return { errorCode: ErrorCode.COORDINATOR_NOT_AVAILABLE, members: [] };
    if (groupId === '') return { errorCode: ErrorCode.INVALID_GROUP_ID, members: [] };
    const group = this.groups.get(groupId);
    const answer = (leaving: LeavingMember, errorCode: number) => ({
      memberId: leaving.memberId,
      groupInstanceId: leaving.groupInstanceId,
      errorCode,
    });
    if (!group) {
      return {
        errorCode: ErrorCode.NONE,
        members: members.map((m) => answer(m, ErrorCode.UNKNOWN_MEMBER_ID)),
      };
    }
    if (group.is('Dead')) return { errorCode: ErrorCode.COORDINATOR_NOT_AVAILABLE, members: [] };
    const results = members.map((leaving) => {
      if (leaving.memberId === '') {
        // An administrator removing a static member by instance id (kafka-consumer-groups --delete-members style).
        const currentId =
          leaving.groupInstanceId === null ? undefined : group.staticMemberId(leaving.groupInstanceId);
        const member = currentId === undefined ? undefined : group.get(currentId);
        if (!member) return answer(leaving, ErrorCode.UNKNOWN_MEMBER_ID);
        this.removeMemberAndUpdateGroup(group, member);
        return answer(leaving, ErrorCode.NONE);
      }
      if (group.cancelPending(leaving.memberId)) {
        this.tryCompleteJoin(group);
        return answer(leaving, ErrorCode.NONE);
      }
      const error = validateCurrentMember(group, leaving.memberId, leaving.groupInstanceId);
      if (error !== ErrorCode.NONE) return answer(leaving, error);
      this.removeMemberAndUpdateGroup(group, group.get(leaving.memberId)!);
      return answer(leaving, ErrorCode.NONE);
    });
    this.discardIfUnused(group);
    return { errorCode: ErrorCode.NONE, members: results };
  }

  // ---------------------------------------------------------------- Describe / List / Delete groups

  describeGroups(groupIds: string[]): DescribedGroup[] {
    return groupIds.map((groupId) => {
      const group = this.groups.get(groupId);
      if (this.closed) {
        return { ...deadGroup(groupId), errorCode: ErrorCode.COORDINATOR_NOT_AVAILABLE, state: 'Dead' };
      }
      if (!group) return deadGroup(groupId);
      const stable = group.is('Stable');
      return {
        errorCode: ErrorCode.NONE,
        groupId,
        state: group.state,
        protocolType: group.protocolType ?? '',
        protocolData: stable ? (group.protocolName ?? '') : '',
        members: group.is('Dead')
          ? []
          : [...group.members.values()].map((m) => ({
              memberId: m.memberId,
              groupInstanceId: m.groupInstanceId,
              clientId: m.clientId,
              clientHost: m.clientHost,
              metadata: stable ? m.metadataFor(group.protocolName) : EMPTY_BYTES,
              assignment: stable ? m.assignment : EMPTY_BYTES,
            })),
      };
    });
  }

  /** Every live group, optionally only those in the given states (compared case-insensitively, as ListGroups v4+). */
  listGroups(statesFilter?: string[] | null): ListedGroup[] {
    const wanted =
      statesFilter && statesFilter.length > 0 ? new Set(statesFilter.map((s) => s.toLowerCase())) : null;
    const listed: ListedGroup[] = [];
    for (const group of this.groups.values()) {
      if (group.is('Dead')) continue;
      if (wanted && !wanted.has(group.state.toLowerCase())) continue;
      listed.push({ groupId: group.groupId, protocolType: group.protocolType ?? '', state: group.state });
    }
    return listed;
  }

  /** Deletes empty groups with their offsets (tombstones in the log). */
  async deleteGroups(groupIds: string[]): Promise<{ groupId: string; errorCode: number }[]> {
    const results = new Map<string, number>();
    const deletable: ClassicGroup[] = [];
    for (const groupId of new Set(groupIds)) {
      const group = this.groups.get(groupId);
      if (this.closed) results.set(groupId, ErrorCode.COORDINATOR_NOT_AVAILABLE);
      else if (!group || group.is('Dead')) results.set(groupId, ErrorCode.GROUP_ID_NOT_FOUND);
      else if (!group.is('Empty')) results.set(groupId, ErrorCode.NON_EMPTY_GROUP);
      else deletable.push(group);
    }
    await Promise.all(
      deletable.map(async (group) => {
        results.set(group.groupId, await this.deleteEmptyGroup(group));
      }),
    );
    return groupIds
      .filter((id, i) => groupIds.indexOf(id) === i)
      .map((groupId) => ({
        groupId,
        errorCode: results.get(groupId)!,
      }));
  }

  private async deleteEmptyGroup(group: ClassicGroup): Promise<number> {
    const records: GroupRecord[] = group.offsets
      .partitions()
      .map((p) => ({ key: encodeOffsetCommitKey(group.groupId, p.topic, p.partition), value: null }));
    // A group that never rebalanced was never written (it only stored offsets).
    if (group.generationId > 0) records.push({ key: encodeGroupMetadataKey(group.groupId), value: null });
    // Dead while the tombstones are written: requests for the group are refused (retriably) meanwhile.
    group.transitionTo('Dead', this.timers.now());
    try {
      if (records.length > 0) await this.store.append(records);
    } catch (error) {
      this.warn(`failed to delete group ${group.groupId}: ${describe(error)}`);
      group.state = 'Empty';
      return STORE_FAILURE;
    }
    for (const cancel of group.pendingMembers.values()) cancel();
    group.pendingMembers.clear();
    if (this.groups.get(group.groupId) === group) this.groups.delete(group.groupId);
    return ErrorCode.NONE;
  }

  // ---------------------------------------------------------------- Offsets

  /**
   * The group an offset commit goes to, or the error code that refuses the whole commit: a member of a
   * generation committing to a group that does not exist is stale; standalone consumers (assign(), no
   * group management) get a memberless group; then the commit's own checks.
   */
  private groupToCommitTo<R extends { groupId: string; generationId: number }>(
    request: R,
    validate: (group: ClassicGroup, request: R) => number,
  ): ClassicGroup | number {
    if (this.closed) return ErrorCode.COORDINATOR_NOT_AVAILABLE;
    let group = this.groups.get(request.groupId);
    if (!group) {
      if (request.generationId >= 0) return ErrorCode.ILLEGAL_GENERATION;
      group = new ClassicGroup(request.groupId);
      this.groups.set(request.groupId, group);
    }
    const error = validate(group, request);
    if (error === ErrorCode.NONE) return group;
    this.discardIfUnused(group);
    return error;
  }

  /** Answers once the offsets are durable in the store. */
  async commitOffsets(request: OffsetCommitRequest): Promise<PartitionError[]> {
    const allFailWith = (errorCode: number): PartitionError[] =>
      request.offsets.map(({ topic, partition }) => ({ topic, partition, errorCode }));
    const group = this.groupToCommitTo(request, validateOffsetCommit);
    if (typeof group === 'number') return allFailWith(group);
    switch (group.state) {
      case 'CompletingRebalance':
        // The member has its new generation but not its assignment yet: it must finish the rebalance.
        return allFailWith(ErrorCode.REBALANCE_IN_PROGRESS);
      case 'Stable':
      case 'PreparingRebalance': {
        // Commits stay allowed while rebalancing; the heartbeat response tells the member to rejoin.
        const member = group.get(request.memberId);
        if (member) this.scheduleSessionExpiry(group, member);
        return this.storeOffsets(group, request);
      }
      case 'Empty':
        return this.storeOffsets(group, request);
      case 'Dead':
        return allFailWith(ErrorCode.COORDINATOR_NOT_AVAILABLE);
    }
  }

  private async storeOffsets(group: ClassicGroup, request: OffsetCommitRequest): Promise<PartitionError[]> {
    const now = this.timers.now();
    const results: PartitionError[] = [];
    const accepted: { topic: string; partition: number; value: OffsetCommitValue }[] = [];
    for (const { topic, partition, offset, leaderEpoch, metadata } of request.offsets) {
      const text = metadata ?? '';
      if (Buffer.byteLength(text, 'utf8') > this.maxOffsetMetadataBytes) {
        results.push({ topic, partition, errorCode: ErrorCode.OFFSET_METADATA_TOO_LARGE });
        continue;
      }
      const value: OffsetCommitValue = {
        offset,
        leaderEpoch,
        metadata: text,
        commitTimestamp: now,
        expireTimestamp: request.retentionTimeMs >= 0 ? now + request.retentionTimeMs : -1,
      };
      accepted.push({ topic, partition, value });
      results.push({ topic, partition, errorCode: ErrorCode.NONE });
    }
    if (accepted.length === 0) {
      this.discardIfUnused(group);
      return results;
    }
    const records = offsetCommitRecords(group.groupId, accepted);
    const sequence = group.offsets.nextWriteSequence();
    group.inflightWrites++;
    try {
      await this.store.append(records);
      for (const { topic, partition, value } of accepted)
        group.offsets.apply(topic, partition, value, sequence);
    } catch (error) {
      this.warn(`failed to store offsets of group ${group.groupId}: ${describe(error)}`);
      for (const result of results) if (result.errorCode === ErrorCode.NONE) result.errorCode = STORE_FAILURE;
    } finally {
      group.inflightWrites--;
      this.discardIfUnused(group);
    }
    return results;
  }

  /**
   * Committed offsets of `partitions`, or of every partition the group committed when null. With
   * `requireStable` (OffsetFetch v7+), a partition with a transactional commit awaiting its marker answers
   * UNSTABLE_OFFSET_COMMIT, which the consumer retries.
   */
  fetchOffsets(
    groupId: string,
    partitions: TopicPartitionRef[] | null,
    requireStable = false,
  ): FetchedOffset[] {
    const answered = this.committedOffsets(groupId, partitions);
    if (!requireStable || this.closed) return answered;
    return answered.map((entry) =>
      this.pendingTxnOffsets.isPending(groupId, entry.topic, entry.partition)
        ? { ...noOffset(entry.topic, entry.partition), errorCode: ErrorCode.UNSTABLE_OFFSET_COMMIT }
        : entry,
    );
  }

  private committedOffsets(groupId: string, partitions: TopicPartitionRef[] | null): FetchedOffset[] {
    if (this.closed) {
      return (partitions ?? []).map(({ topic, partition }) => ({
        ...noOffset(topic, partition),
        errorCode: ErrorCode.COORDINATOR_NOT_AVAILABLE,
      }));
    }
    // Offsets are answered whatever the group's state: standalone consumers use them without a group.
    const offsets = this.groups.get(groupId)?.offsets;
    if (partitions === null) {
      return (offsets?.partitions() ?? []).map((p) => ({
        topic: p.topic,
        partition: p.partition,
        offset: p.offset,
        leaderEpoch: p.leaderEpoch,
        metadata: p.metadata,
        errorCode: ErrorCode.NONE,
      }));
    }
    return partitions.map(({ topic, partition }) => {
      const committed = offsets?.get(topic, partition);
      if (!committed) return noOffset(topic, partition);
      return {
        topic,
        partition,
        offset: committed.offset,
        leaderEpoch: committed.leaderEpoch,
        metadata: committed.metadata,
        errorCode: ErrorCode.NONE,
      };
    });
  }

  /**
   * TxnOffsetCommit: stores the offsets as a transactional batch of the producer and keeps them pending
   * until the transaction's marker (`completeTxnOffsets`). Like Kafka, a producer that does not name the
   * consumer's generation (TxnOffsetCommit before v3) may commit for a live group.
   */
  async commitTxnOffsets(request: TxnOffsetCommitRequest): Promise<PartitionError[]> {
    const allFailWith = (errorCode: number): PartitionError[] =>
      request.offsets.map(({ topic, partition }) => ({ topic, partition, errorCode }));
    const group = this.groupToCommitTo(request, validateTxnOffsetCommit);
    if (typeof group === 'number') return allFailWith(group);
    const now = this.timers.now();
    const results: PartitionError[] = [];
    const accepted: { topic: string; partition: number; value: OffsetCommitValue }[] = [];
    for (const { topic, partition, offset, leaderEpoch, metadata } of request.offsets) {
      const text = metadata ?? '';
      if (Buffer.byteLength(text, 'utf8') > this.maxOffsetMetadataBytes) {
        results.push({ topic, partition, errorCode: ErrorCode.OFFSET_METADATA_TOO_LARGE });
        continue;
      }
      accepted.push({
        topic,
        partition,
        value: { offset, leaderEpoch, metadata: text, commitTimestamp: now, expireTimestamp: -1 },
      });
      results.push({ topic, partition, errorCode: ErrorCode.NONE });
    }
    if (accepted.length === 0) {
      this.discardIfUnused(group);
      return results;
    }
    const records = offsetCommitRecords(group.groupId, accepted);
    group.inflightWrites++;
    try {
      await this.store.append(records, {
        producerId: request.producerId,
        producerEpoch: request.producerEpoch,
      });
      this.pendingTxnOffsets.add(request.producerId, group.groupId, accepted);
    } catch (error) {
      this.warn(`failed to store transactional offsets of group ${group.groupId}: ${describe(error)}`);
      for (const result of results) if (result.errorCode === ErrorCode.NONE) result.errorCode = STORE_FAILURE;
    } finally {
      group.inflightWrites--;
      this.discardIfUnused(group);
    }
    return results;
  }

  /** A transaction marker reached __consumer_offsets: the producer's pending offsets apply (commit) or go. */
  completeTxnOffsets(producerId: bigint, commit: boolean): void {
    const byGroup = this.pendingTxnOffsets.take(producerId);
    if (!commit) return;
    for (const [groupId, offsets] of byGroup) {
      let group = this.groups.get(groupId);
      if (!group) {
        group = new ClassicGroup(groupId);
        this.groups.set(groupId, group);
      }
      const sequence = group.offsets.nextWriteSequence();
      for (const { topic, partition, value } of offsets)
        group.offsets.apply(topic, partition, value, sequence);
    }
  }

  /**
   * OffsetDelete: refused per partition (GROUP_SUBSCRIBED_TO_TOPIC) for topics a live consumer group
   * subscribes to; a live group of another protocol type cannot delete offsets at all (NON_EMPTY_GROUP).
   */
  async deleteOffsets(groupId: string, partitions: TopicPartitionRef[]): Promise<OffsetDeleteResult> {
    if (this.closed) return { errorCode: ErrorCode.COORDINATOR_NOT_AVAILABLE, partitions: [] };
    const group = this.groups.get(groupId);
    if (!group || group.is('Dead')) return { errorCode: ErrorCode.GROUP_ID_NOT_FOUND, partitions: [] };
    let eligible: TopicPartitionRef[];
    const refused: PartitionError[] = [];
    if (group.is('Empty')) {
      eligible = partitions;
    } else if (group.protocolType === CONSUMER_PROTOCOL_TYPE) {
      eligible = [];
      for (const p of partitions) {
        if (group.isSubscribedToTopic(p.topic))
          refused.push({ ...p, errorCode: ErrorCode.GROUP_SUBSCRIBED_TO_TOPIC });
        else eligible.push(p);
      }
    } else {
      return { errorCode: ErrorCode.NON_EMPTY_GROUP, partitions: [] };
    }
    const present = eligible.filter((p) => group.offsets.get(p.topic, p.partition) !== undefined);
    const records: GroupRecord[] = present.map((p) => ({
      key: encodeOffsetCommitKey(groupId, p.topic, p.partition),
      value: null,
    }));
    const sequence = group.offsets.nextWriteSequence();
    if (records.length > 0) {
      try {
        await this.store.append(records);
      } catch (error) {
        this.warn(`failed to delete offsets of group ${groupId}: ${describe(error)}`);
        return { errorCode: STORE_FAILURE, partitions: [] };
      }
      for (const p of present) group.offsets.apply(p.topic, p.partition, null, sequence);
    }
    // An empty group left without offsets is gone, as Kafka's cleanup does.
    if (
      group.is('Empty') &&
      group.offsets.size === 0 &&
      group.inflightWrites === 0 &&
      group.pendingMembers.size === 0
    ) {
      await this.deleteEmptyGroup(group);
    }
    return {
      errorCode: ErrorCode.NONE,
      partitions: [...eligible.map((p) => ({ ...p, errorCode: ErrorCode.NONE })), ...refused],
    };
  }

  /** Drops committed offsets of deleted topics from every group. */
  async removeOffsetsOfTopics(topics: string[]): Promise<void> {
    const deleted = new Set(topics);
    for (const group of [...this.groups.values()]) {
      const gone = group.offsets.partitions().filter((p) => deleted.has(p.topic));
      if (gone.length === 0) continue;
      const sequence = group.offsets.nextWriteSequence();
      await this.store.append(
        gone.map((p) => ({ key: encodeOffsetCommitKey(group.groupId, p.topic, p.partition), value: null })),
      );
      for (const p of gone) group.offsets.apply(p.topic, p.partition, null, sequence);
    }
  }

  // ---------------------------------------------------------------- persistence

  private persistGroup(group: ClassicGroup, assignments?: ReadonlyMap<string, Buffer>): Promise<void> {
    const value = group.toRecordValue(this.timers.now(), assignments);
    return this.store.append([
      { key: encodeGroupMetadataKey(group.groupId), value: encodeGroupMetadataValue(value) },
    ]);
  }

  /**
   * Rebuilds groups and committed offsets from the `__consumer_offsets` records, oldest first.
   * Groups persisted with members come back Stable (their members may keep heartbeating after a
   * broker restart, or their sessions expire); others come back Empty.
   */
  load(records: Iterable<GroupRecord>): void {
    this.pendingTxnOffsets.clear();
    const offsets = new Map<
      string,
      Map<string, { topic: string; partition: number; value: OffsetCommitValue }>
    >();
    const metadata = new Map<string, GroupMetadataValue>();
    for (const record of records) {
      try {
        const key = decodeRecordKey(record.key);
        if (key.kind === 'offset') {
          let groupOffsets = offsets.get(key.group);
          if (!groupOffsets) offsets.set(key.group, (groupOffsets = new Map()));
          const slot = `${key.partition}:${key.topic}`;
          if (record.value === null) groupOffsets.delete(slot);
          else groupOffsets.set(slot, { ...key, value: decodeOffsetCommitValue(record.value) });
        } else if (key.kind === 'group') {
          if (record.value === null) metadata.delete(key.group);
          else metadata.set(key.group, decodeGroupMetadataValue(record.value));
        }
      } catch (error) {
        this.warn(`skipping an unreadable __consumer_offsets record: ${describe(error)}`);
      }
    }
    this.clearTimers();
    this.groups.clear();
    const groupIds = new Set([
      ...metadata.keys(),
      ...[...offsets].filter(([, o]) => o.size > 0).map(([id]) => id),
    ]);
    for (const groupId of groupIds) {
      const group = new ClassicGroup(groupId);
      const value = metadata.get(groupId);
      if (value) group.restore(value);
      for (const { topic, partition, value: committed } of offsets.get(groupId)?.values() ?? []) {
        group.offsets.apply(topic, partition, committed, 0);
      }
      this.groups.set(groupId, group);
      for (const member of group.members.values()) this.scheduleSessionExpiry(group, member);
    }
  }

  /**
   * `load` for records read back from __consumer_offsets with their batches' transaction attributes:
   * transactional offsets count from their commit marker, and those of still-open transactions stay pending.
   */
  loadStored(records: Iterable<StoredGroupRecord>): void {
    const replay = new TransactionalReplay();
    this.load(replay.records(records));
    this.pendingTxnOffsets = replay.pending(this.warn);
  }

  /** Stops every timer and answers parked requests; the coordinator refuses requests afterwards. */
  shutdown(): void {
    this.closed = true;
    for (const group of this.groups.values()) {
      for (const member of group.members.values()) {
        member.completeJoin(joinError(member.memberId, ErrorCode.NOT_COORDINATOR));
        member.completeSync(syncError(ErrorCode.NOT_COORDINATOR));
      }
    }
    this.clearTimers();
  }

  /** Timers started after shutdown (by a late store acknowledgement) would outlive the coordinator. */
  private schedule(delayMs: number, callback: () => void): () => void {
    if (this.closed) return () => {};
    return this.timers.schedule(delayMs, callback);
  }

  private clearTimers(): void {
    for (const group of this.groups.values()) {
      this.cancelJoinTimer(group);
      this.cancelSyncTimer(group);
      group.initialDelay = null;
      for (const cancel of group.pendingMembers.values()) cancel();
      group.pendingMembers.clear();
      for (const member of group.members.values()) {
        member.cancelSessionTimer?.();
        member.cancelSessionTimer = null;
      }
    }
  }
}

function supportsRequestProtocols(group: ClassicGroup, request: JoinGroupRequest): boolean {
  return group.supportsProtocols(
    request.protocolType,
    request.protocols.map((p) => p.name),
  );
}

/** If an instance id is given it must map to this member id (else the caller is a fenced duplicate); the member must exist. */
function validateCurrentMember(
  group: ClassicGroup,
  memberId: string,
  groupInstanceId: string | null,
): number {
  if (groupInstanceId !== null) {
    const currentId = group.staticMemberId(groupInstanceId);
    if (currentId === undefined) return ErrorCode.UNKNOWN_MEMBER_ID;
    if (currentId !== memberId) return ErrorCode.FENCED_INSTANCE_ID;
  }
  return group.has(memberId) ? ErrorCode.NONE : ErrorCode.UNKNOWN_MEMBER_ID;
}

function validateOffsetCommit(group: ClassicGroup, request: OffsetCommitRequest): number {
  if (group.is('Dead')) return ErrorCode.COORDINATOR_NOT_AVAILABLE;
  if (request.generationId >= 0 || request.memberId !== '' || request.groupInstanceId !== null) {
    const error = validateCurrentMember(group, request.memberId, request.groupInstanceId);
    if (error !== ErrorCode.NONE) return error;
    return request.generationId === group.generationId ? ErrorCode.NONE : ErrorCode.ILLEGAL_GENERATION;
  }
  // Outside group management only an empty group accepts commits: members own the offsets of a live group.
  return group.is('Empty') ? ErrorCode.NONE : ErrorCode.UNKNOWN_MEMBER_ID;
}

function validateTxnOffsetCommit(group: ClassicGroup, request: TxnOffsetCommitRequest): number {
  if (group.is('Dead')) return ErrorCode.COORDINATOR_NOT_AVAILABLE;
  if (request.memberId !== '' || request.groupInstanceId !== null) {
    const error = validateCurrentMember(group, request.memberId, request.groupInstanceId);
    if (error !== ErrorCode.NONE) return error;
  }
  if (request.generationId >= 0 && request.generationId !== group.generationId)
    return ErrorCode.ILLEGAL_GENERATION;
  return ErrorCode.NONE;
}

function noOffset(topic: string, partition: number): FetchedOffset {
  return { topic, partition, offset: -1n, leaderEpoch: -1, metadata: '', errorCode: ErrorCode.NONE };
}

function deadGroup(groupId: string): DescribedGroup {
  return {
    errorCode: ErrorCode.NONE,
    groupId,
    state: 'Dead',
    protocolType: '',
    protocolData: '',
    members: [],
  };
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The __consumer_offsets records of accepted offset commits, plain or transactional alike. */
function offsetCommitRecords(
  groupId: string,
  accepted: readonly { topic: string; partition: number; value: OffsetCommitValue }[],
): GroupRecord[] {
  return accepted.map(({ topic, partition, value }) => ({
    key: encodeOffsetCommitKey(groupId, topic, partition),
    value: encodeOffsetCommitValue(value),
  }));
}
