// A classic consumer group: its state machine, membership, protocol choice and leader.
// It holds state and enforces invariants; timers, persistence and responses are the coordinator's.
import { GroupOffsets } from './offset-store.js';
import { ErrorCode } from '../../protocol/error-codes.js';
import { GroupMember, joinError, syncError } from './member.js';
import type { GroupMetadataValue } from './records.js';
import { CONSUMER_PROTOCOL_TYPE, subscribedTopics } from './subscription.js';
import type { GroupState, JoinGroupMember, JoinResult, ProtocolMetadata } from './types.js';

/** The states each state may be entered from. */
const VALID_PREVIOUS_STATES: Record<GroupState, readonly GroupState[]> = {
  Empty: ['PreparingRebalance'],
  PreparingRebalance: ['Stable', 'CompletingRebalance', 'Empty'],
  CompletingRebalance: ['PreparingRebalance'],
  Stable: ['CompletingRebalance'],
  Dead: ['Stable', 'PreparingRebalance', 'CompletingRebalance', 'Empty', 'Dead'],
};

/** State of the initial rebalance delay (group.initial.rebalance.delay.ms) while it runs. */
export interface InitialDelay {
  /** group.initial.rebalance.delay.ms as it was when the delay started. */
  stepMs: number;
  remainingMs: number;
  newMemberAdded: boolean;
}

export class ClassicGroup {
  state: GroupState = 'Empty';
  generationId = 0;
  protocolType: string | null = null;
  protocolName: string | null = null;
  leaderId: string | null = null;
  currentStateTimestamp = -1;
  /** In join order: the first member becomes the leader. */
  readonly members = new Map<string, GroupMember>();
  /** groupInstanceId -> current memberId. */
  readonly staticMembers = new Map<string, string>();
  /** KIP-394: ids handed out with MEMBER_ID_REQUIRED, with the cancel function of their expiry. */
  readonly pendingMembers = new Map<string, () => void>();
  /** Members of the current generation that have not sent SyncGroup yet. */
  readonly pendingSyncMembers = new Set<string>();
  readonly offsets = new GroupOffsets();
  /** Topics the members consume (consumer protocol only); null when unknown, which counts as "all". */
  private subscribedTopics: Set<string> | null = null;
  /** Offset commits appended but not yet acknowledged by the store. */
  inflightWrites = 0;
  cancelJoinTimer: (() => void) | null = null;
  cancelSyncTimer: (() => void) | null = null;
  initialDelay: InitialDelay | null = null;

  constructor(readonly groupId: string) {}

  is(state: GroupState): boolean {
    return this.state === state;
  }

  transitionTo(state: GroupState, now: number): void {
    if (!VALID_PREVIOUS_STATES[state].includes(this.state)) {
      throw new Error(`group ${this.groupId}: illegal transition from ${this.state} to ${state}`);
    }
    this.state = state;
    this.currentStateTimestamp = now;
  }

  canRebalance(): boolean {
    return VALID_PREVIOUS_STATES.PreparingRebalance.includes(this.state);
  }

  get size(): number {
    return this.members.size;
  }

  has(memberId: string): boolean {
    return this.members.has(memberId);
  }

  get(memberId: string): GroupMember | undefined {
    return this.members.get(memberId);
  }

  isLeader(memberId: string): boolean {
    return this.leaderId === memberId;
  }

  isPendingMember(memberId: string): boolean {
    return this.pendingMembers.has(memberId);
  }

  staticMemberId(groupInstanceId: string): string | undefined {
    return this.staticMembers.get(groupInstanceId);
  }

  add(member: GroupMember, protocolType: string, joinWaiter: ((result: JoinResult) => void) | null): void {
    if (this.members.size === 0) this.protocolType = protocolType;
    this.members.set(member.memberId, member);
    if (member.groupInstanceId !== null) this.staticMembers.set(member.groupInstanceId, member.memberId);
    this.leaderId ??= member.memberId;
    member.awaitJoin(joinWaiter);
  }

  remove(memberId: string): GroupMember | undefined {
    this.cancelPending(memberId);
    this.pendingSyncMembers.delete(memberId);
    const member = this.members.get(memberId);
    if (!member) return undefined;
    this.members.delete(memberId);
    if (member.groupInstanceId !== null && this.staticMembers.get(member.groupInstanceId) === memberId) {
      this.staticMembers.delete(member.groupInstanceId);
    }
    if (this.isLeader(memberId)) {
      this.leaderId = this.members.keys().next().value ?? null;
    }
    return member;
  }

  /** Forgets a KIP-394 pending member id and cancels its expiry; returns whether it was pending. */
  cancelPending(memberId: string): boolean {
    const cancel = this.pendingMembers.get(memberId);
    if (!cancel) return false;
    cancel();
    this.pendingMembers.delete(memberId);
    return true;
  }

  updateMember(
    member: GroupMember,
    protocols: ProtocolMetadata[],
    sessionTimeoutMs: number,
    rebalanceTimeoutMs: number,
    joinWaiter: ((result: JoinResult) => void) | null,
  ): void {
    member.protocols = protocols;
    member.sessionTimeoutMs = sessionTimeoutMs;
    member.rebalanceTimeoutMs = rebalanceTimeoutMs;
    member.awaitJoin(joinWaiter);
  }

  /**
   * KIP-345: a static member rejoined without its member id. The member keeps its assignment under
   * a new id; whoever still waits under the old id is fenced.
   */
  replaceStaticMember(groupInstanceId: string, oldMemberId: string, newMemberId: string): GroupMember {
    const member = this.members.get(oldMemberId);
    if (!member) throw new Error(`group ${this.groupId}: no member ${oldMemberId} to replace`);
    member.completeJoin(joinError(oldMemberId, ErrorCode.FENCED_INSTANCE_ID));
    member.completeSync(syncError(ErrorCode.FENCED_INSTANCE_ID));
    // Rebuild the map so the member keeps its position (and so leadership order) under the new id.
    const entries = [...this.members.entries()].map(([id, m]): [string, GroupMember] =>
      id === oldMemberId ? [newMemberId, m] : [id, m],
    );
    this.members.clear();
    for (const [id, m] of entries) this.members.set(id, m);
    member.memberId = newMemberId;
    this.staticMembers.set(groupInstanceId, newMemberId);
    if (this.isLeader(oldMemberId)) this.leaderId = newMemberId;
    if (this.pendingSyncMembers.delete(oldMemberId)) this.pendingSyncMembers.add(newMemberId);
    return member;
  }

  numAwaitingJoin(): number {
    let count = 0;
    for (const member of this.members.values()) if (member.isAwaitingJoin) count++;
    return count;
  }

  hasAllMembersJoined(): boolean {
    return this.numAwaitingJoin() === this.members.size && this.pendingMembers.size === 0;
  }

  notYetRejoinedMembers(): GroupMember[] {
    return [...this.members.values()].filter((m) => !m.isAwaitingJoin);
  }

  /** If the leader did not rejoin, hand leadership to a member that did; false when nobody rejoined. */
  maybeElectNewJoinedLeader(): boolean {
    if (this.leaderId === null) return false;
    if (this.members.get(this.leaderId)?.isAwaitingJoin) return true;
    for (const member of this.members.values()) {
      if (member.isAwaitingJoin) {
        this.leaderId = member.memberId;
        return true;
      }
    }
    return false;
  }

  /** Protocols every current member supports. */
  private candidateProtocols(): Set<string> {
    const members = [...this.members.values()];
    if (members.length === 0) return new Set();
    return new Set(
      members[0].protocols.map((p) => p.name).filter((name) => members.every((m) => m.supports(name))),
    );
  }

  /** Whether a member with these protocols may join: same protocol type and one protocol all members share. */
  supportsProtocols(protocolType: string, protocolNames: string[]): boolean {
    if (this.members.size === 0) return protocolType !== '' && protocolNames.length > 0;
    if (this.protocolType !== protocolType) return false;
    const candidates = this.candidateProtocols();
    return protocolNames.some((name) => candidates.has(name));
  }

  /** Each member votes for its most preferred protocol among those all support; the most votes win. */
  selectProtocol(): string {
    const candidates = this.candidateProtocols();
    if (candidates.size === 0) throw new Error(`group ${this.groupId}: no protocol supported by all members`);
    const votes = new Map<string, number>();
    for (const member of this.members.values()) {
      const choice = member.protocols.find((p) => candidates.has(p.name))!.name;
      votes.set(choice, (votes.get(choice) ?? 0) + 1);
    }
    let best = '';
    let bestVotes = 0;
    for (const [name, count] of votes) {
      if (count > bestVotes) {
        best = name;
        bestVotes = count;
      }
    }
    return best;
  }

  rebalanceTimeoutMs(): number {
    let timeout = 0;
    for (const member of this.members.values()) timeout = Math.max(timeout, member.rebalanceTimeoutMs);
    return timeout;
  }

  initNextGeneration(now: number): void {
    this.generationId++;
    if (this.members.size > 0) {
      this.protocolName = this.selectProtocol();
      this.transitionTo('CompletingRebalance', now);
    } else {
      this.protocolName = null;
      this.transitionTo('Empty', now);
    }
    this.computeSubscribedTopics();
    this.pendingSyncMembers.clear();
  }

  /** Member list sent to the leader: each member's metadata for the chosen protocol. */
  currentMemberMetadata(): JoinGroupMember[] {
    return [...this.members.values()].map((m) => ({
      memberId: m.memberId,
      groupInstanceId: m.groupInstanceId,
      metadata: m.metadataFor(this.protocolName),
    }));
  }

  computeSubscribedTopics(): void {
    this.subscribedTopics = null;
    if (this.protocolType !== CONSUMER_PROTOCOL_TYPE || this.protocolName === null) return;
    const topics = new Set<string>();
    for (const member of this.members.values()) {
      const memberTopics = subscribedTopics(member.metadataFor(this.protocolName));
      if (memberTopics === null) return;
      for (const topic of memberTopics) topics.add(topic);
    }
    this.subscribedTopics = topics;
  }

  isSubscribedToTopic(topic: string): boolean {
    return this.subscribedTopics === null || this.subscribedTopics.has(topic);
  }

  /** The group as persisted in `__consumer_offsets`, with the given (or current) assignments. */
  toRecordValue(now: number, assignments?: ReadonlyMap<string, Buffer>): GroupMetadataValue {
    return {
      protocolType: this.protocolType ?? '',
      generation: this.generationId,
      protocol: this.protocolName,
      leader: this.leaderId,
      currentStateTimestamp: this.currentStateTimestamp >= 0 ? this.currentStateTimestamp : now,
      members: [...this.members.values()].map((m) => ({
        memberId: m.memberId,
        groupInstanceId: m.groupInstanceId,
        clientId: m.clientId,
        clientHost: m.clientHost,
        rebalanceTimeoutMs: m.rebalanceTimeoutMs,
        sessionTimeoutMs: m.sessionTimeoutMs,
        subscription: m.metadataFor(this.protocolName),
        assignment: assignments?.get(m.memberId) ?? m.assignment,
      })),
    };
  }

  /** Restores what a GroupMetadataValue describes: Stable with its members, or Empty. */
  restore(value: GroupMetadataValue): void {
    this.generationId = value.generation;
    this.protocolType = value.protocolType === '' ? null : value.protocolType;
    this.protocolName = value.protocol;
    this.currentStateTimestamp = value.currentStateTimestamp;
    for (const persisted of value.members) {
      const member = new GroupMember({
        memberId: persisted.memberId,
        groupInstanceId: persisted.groupInstanceId,
        clientId: persisted.clientId,
        clientHost: persisted.clientHost,
        sessionTimeoutMs: persisted.sessionTimeoutMs,
        rebalanceTimeoutMs: persisted.rebalanceTimeoutMs,
        protocols: [{ name: value.protocol ?? '', metadata: persisted.subscription }],
      });
      member.assignment = persisted.assignment;
      this.members.set(member.memberId, member);
      if (member.groupInstanceId !== null) this.staticMembers.set(member.groupInstanceId, member.memberId);
    }
    this.leaderId = value.leader !== null && this.members.has(value.leader) ? value.leader : null;
    if (this.leaderId === null) this.leaderId = this.members.keys().next().value ?? null;
    this.state = this.members.size > 0 ? 'Stable' : 'Empty';
    this.computeSubscribedTopics();
  }
}
