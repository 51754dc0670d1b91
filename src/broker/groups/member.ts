// One member of a classic group, with the responses it is waiting for.
import { ErrorCode } from '../../protocol/error-codes.js';
import type { JoinResult, ProtocolMetadata, SyncResult } from './types.js';

export const EMPTY_BYTES: Buffer = Buffer.alloc(0);

export interface MemberSettings {
  memberId: string;
  groupInstanceId: string | null;
  clientId: string;
  clientHost: string;
  sessionTimeoutMs: number;
  rebalanceTimeoutMs: number;
  protocols: ProtocolMetadata[];
}

export class GroupMember {
  memberId: string;
  readonly groupInstanceId: string | null;
  readonly clientId: string;
  readonly clientHost: string;
  sessionTimeoutMs: number;
  rebalanceTimeoutMs: number;
  protocols: ProtocolMetadata[];
  assignment: Buffer = EMPTY_BYTES;
  /** Joined but never completed a rebalance: expires on the new-member timeout, not the session timeout. */
  isNew = false;
  private joinWaiter: ((result: JoinResult) => void) | null = null;
  private syncWaiter: ((result: SyncResult) => void) | null = null;
  /** Cancels the pending session expiry, if any. */
  cancelSessionTimer: (() => void) | null = null;

  constructor(settings: MemberSettings) {
    this.memberId = settings.memberId;
    this.groupInstanceId = settings.groupInstanceId;
    this.clientId = settings.clientId;
    this.clientHost = settings.clientHost;
    this.sessionTimeoutMs = settings.sessionTimeoutMs;
    this.rebalanceTimeoutMs = settings.rebalanceTimeoutMs;
    this.protocols = settings.protocols;
  }

  get isAwaitingJoin(): boolean {
    return this.joinWaiter !== null;
  }

  get isAwaitingSync(): boolean {
    return this.syncWaiter !== null;
  }

  /** Replaces the waiting JoinGroup; a superseded one (a client retry) is told to rejoin. */
  awaitJoin(waiter: ((result: JoinResult) => void) | null): void {
    const previous = this.joinWaiter;
    this.joinWaiter = waiter;
    if (previous && previous !== waiter) previous(joinError(this.memberId, ErrorCode.REBALANCE_IN_PROGRESS));
  }

  awaitSync(waiter: (result: SyncResult) => void): void {
    const previous = this.syncWaiter;
    this.syncWaiter = waiter;
    if (previous && previous !== waiter) previous(syncError(ErrorCode.REBALANCE_IN_PROGRESS));
  }

  /** Detaches the waiting JoinGroup without answering it, so the caller decides what to send. */
  takeJoinWaiter(): ((result: JoinResult) => void) | null {
    const waiter = this.joinWaiter;
    this.joinWaiter = null;
    return waiter;
  }

  /** Answers the waiting JoinGroup, if any; returns whether there was one. */
  completeJoin(result: JoinResult): boolean {
    const waiter = this.joinWaiter;
    if (!waiter) return false;
    this.joinWaiter = null;
    waiter(result);
    return true;
  }

  completeSync(result: SyncResult): boolean {
    const waiter = this.syncWaiter;
    if (!waiter) return false;
    this.syncWaiter = null;
    waiter(result);
    return true;
  }

  supports(protocolName: string): boolean {
    return this.protocols.some((p) => p.name === protocolName);
  }

  metadataFor(protocolName: string | null): Buffer {
    return this.protocols.find((p) => p.name === protocolName)?.metadata ?? EMPTY_BYTES;
  }

  /** Same protocols, in the same order, with the same metadata. */
  matches(protocols: ProtocolMetadata[]): boolean {
    return (
      protocols.length === this.protocols.length &&
      protocols.every(
        (p, i) => p.name === this.protocols[i].name && p.metadata.equals(this.protocols[i].metadata),
      )
    );
  }
}

export function joinError(memberId: string, errorCode: number): JoinResult {
  return {
    errorCode,
    generationId: -1,
    protocolType: null,
    protocolName: null,
    leader: '',
    memberId,
    skipAssignment: false,
    members: [],
  };
}

export function syncError(errorCode: number): SyncResult {
  return { errorCode, protocolType: null, protocolName: null, assignment: EMPTY_BYTES };
}
