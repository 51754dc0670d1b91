// Shared fixtures for the group coordinator tests: an in-memory record store, a manual clock and request builders.
import { Writer } from '../../../src/protocol/primitives.js';
import { GroupCoordinator, type GroupCoordinatorOptions } from '../../../src/broker/groups/index.js';
import type { GroupRecord, JoinGroupRequest, JoinResult } from '../../../src/broker/groups/index.js';
import { ManualClock } from '../../helpers/manual-clock.js';

/** Keeps appended records in order, like the compacted topic before compaction. */
export class MemoryStore {
  readonly records: GroupRecord[] = [];
  failNext = false;
  /** When set, appends wait for this promise (to observe in-flight behaviour). */
  gate: Promise<void> | null = null;

  async append(records: GroupRecord[]): Promise<void> {
    if (this.gate) await this.gate;
    if (this.failNext) {
      this.failNext = false;
      throw new Error('disk full');
    }
    this.records.push(...records);
  }
}

/** A coordinator on a manual clock: its timers fire only when the test calls `clock.advance(ms)`. */
export function newCoordinator(store = new MemoryStore(), options: GroupCoordinatorOptions = {}) {
  const clock = new ManualClock();
  const coordinator = new GroupCoordinator(store, {
    minSessionTimeoutMs: 10,
    warn: () => {},
    timers: clock,
    ...options,
  });
  return { coordinator, store, clock };
}

/** A ConsumerProtocolSubscription v0 for the given topics. */
export function subscription(...topics: string[]): Buffer {
  const writer = new Writer().int16(0).int32(topics.length);
  for (const topic of topics) writer.string(topic);
  return writer.nullableBytes(null).toBuffer();
}

export function joinRequest(overrides: Partial<JoinGroupRequest> = {}): JoinGroupRequest {
  return {
    groupId: 'g',
    memberId: '',
    groupInstanceId: null,
    sessionTimeoutMs: 10_000,
    rebalanceTimeoutMs: 10_000,
    protocolType: 'consumer',
    protocols: [{ name: 'range', metadata: subscription('orders') }],
    clientId: 'client',
    clientHost: '/127.0.0.1',
    reason: null,
    requireKnownMemberId: true,
    ...overrides,
  };
}

/** The KIP-394 dance: MEMBER_ID_REQUIRED, then the real join with the granted id. */
export async function joinWithId(
  coordinator: GroupCoordinator,
  overrides: Partial<JoinGroupRequest> = {},
): Promise<{ memberId: string; joined: Promise<JoinResult> }> {
  const first = await coordinator.joinGroup(joinRequest(overrides));
  if (first.errorCode !== 79) throw new Error(`expected MEMBER_ID_REQUIRED, got ${first.errorCode}`);
  return {
    memberId: first.memberId,
    joined: coordinator.joinGroup(joinRequest({ ...overrides, memberId: first.memberId })),
  };
}

export { settle } from '../../helpers/wait.js';
