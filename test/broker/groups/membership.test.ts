import { afterEach, describe, expect, it } from 'vitest';
import { ErrorCode } from '../../../src/protocol/error-codes.js';
import type { GroupCoordinator, JoinGroupRequest, JoinResult } from '../../../src/broker/groups/index.js';
import { joinRequest, joinWithId, newCoordinator, settle, subscription } from './helpers.js';

const coordinators: GroupCoordinator[] = [];
function setup(...args: Parameters<typeof newCoordinator>) {
  const created = newCoordinator(...args);
  coordinators.push(created.coordinator);
  return created;
}
afterEach(() => {
  for (const coordinator of coordinators.splice(0)) coordinator.shutdown();
});

const assignment = (text: string) => Buffer.from(text);

/** One member joins and syncs: the group is Stable at generation 1. */
async function stableSingleMember(coordinator: GroupCoordinator, overrides = {}) {
  const { memberId, joined } = await joinWithId(coordinator, overrides);
  const join = await joined;
  const sync = await coordinator.syncGroup({
    groupId: 'g',
    generationId: join.generationId,
    memberId,
    groupInstanceId: null,
    protocolType: 'consumer',
    protocolName: 'range',
    assignments: [{ memberId, assignment: assignment('a-all') }],
  });
  expect(sync.errorCode).toBe(ErrorCode.NONE);
  return { memberId, join };
}

/** A leads, B follows, both synced at generation 2. */
async function stableTwoMembers(coordinator: GroupCoordinator, overrides: Partial<JoinGroupRequest> = {}) {
  const a = await stableSingleMember(coordinator, overrides);
  const b = await joinWithId(coordinator, { clientId: 'b', ...overrides });
  const aJoin = coordinator.joinGroup(joinRequest({ memberId: a.memberId, ...overrides }));
  const [aResult, bResult] = await Promise.all([aJoin, b.joined]);
  const syncB = coordinator.syncGroup({
    groupId: 'g',
    generationId: bResult.generationId,
    memberId: b.memberId,
    groupInstanceId: null,
    protocolType: null,
    protocolName: null,
    assignments: [],
  });
  const syncA = coordinator.syncGroup({
    groupId: 'g',
    generationId: aResult.generationId,
    memberId: a.memberId,
    groupInstanceId: null,
    protocolType: 'consumer',
    protocolName: 'range',
    assignments: [
      { memberId: a.memberId, assignment: assignment('a') },
      { memberId: b.memberId, assignment: assignment('b') },
    ],
  });
  return { a: a.memberId, b: b.memberId, aResult, bResult, syncA: await syncA, syncB: await syncB };
}

describe('JoinGroup / SyncGroup', () => {
  it('makes a single member the leader of generation 1 and hands back its own assignment', async () => {
    const { coordinator, store } = setup();
    const { memberId, joined } = await joinWithId(coordinator);
    expect(memberId).toMatch(/^client-[0-9a-f-]{36}$/);
    const join = await joined;
    expect(join).toMatchObject({
      errorCode: ErrorCode.NONE,
      generationId: 1,
      protocolType: 'consumer',
      protocolName: 'range',
      leader: memberId,
      memberId,
      skipAssignment: false,
    });
    expect(join.members).toEqual([{ memberId, groupInstanceId: null, metadata: subscription('orders') }]);
    expect(coordinator.describeGroups(['g'])[0].state).toBe('CompletingRebalance');
    // Heartbeats between JoinGroup and SyncGroup are fine.
    expect(coordinator.heartbeat({ groupId: 'g', generationId: 1, memberId, groupInstanceId: null })).toBe(0);

    const sync = await coordinator.syncGroup({
      groupId: 'g',
      generationId: 1,
      memberId,
      groupInstanceId: null,
      protocolType: 'consumer',
      protocolName: 'range',
      assignments: [{ memberId, assignment: assignment('all') }],
    });
    expect(sync).toEqual({
      errorCode: ErrorCode.NONE,
      protocolType: 'consumer',
      protocolName: 'range',
      assignment: assignment('all'),
    });
    expect(coordinator.describeGroups(['g'])[0].state).toBe('Stable');
    expect(store.records).toHaveLength(1); // the group metadata with the assignment
  });

  it('a second member triggers a new generation; only the leader gets the member list; sync distributes assignments', async () => {
    const { coordinator } = setup();
    const { a, b, aResult, bResult, syncA, syncB } = await stableTwoMembers(coordinator);
    expect(aResult.generationId).toBe(2);
    expect(bResult.generationId).toBe(2);
    expect(aResult.leader).toBe(a);
    expect(bResult.leader).toBe(a);
    expect(aResult.members.map((m) => m.memberId)).toEqual([a, b]);
    expect(bResult.members).toEqual([]);
    expect(syncA.assignment).toEqual(assignment('a'));
    expect(syncB.assignment).toEqual(assignment('b'));
    expect(coordinator.describeGroups(['g'])[0].state).toBe('Stable');
  });

  it('answers REBALANCE_IN_PROGRESS to heartbeats and syncs while a new member waits to join', async () => {
    const { coordinator } = setup();
    const a = await stableSingleMember(coordinator);
    const b = await joinWithId(coordinator, { clientId: 'b' });
    let bAnswered = false;
    void b.joined.then(() => (bAnswered = true));
    await settle();
    expect(bAnswered).toBe(false);
    expect(coordinator.describeGroups(['g'])[0].state).toBe('PreparingRebalance');
    expect(
      coordinator.heartbeat({ groupId: 'g', generationId: 1, memberId: a.memberId, groupInstanceId: null }),
    ).toBe(ErrorCode.REBALANCE_IN_PROGRESS);
    const sync = await coordinator.syncGroup({
      groupId: 'g',
      generationId: 1,
      memberId: a.memberId,
      groupInstanceId: null,
      protocolType: null,
      protocolName: null,
      assignments: [],
    });
    expect(sync.errorCode).toBe(ErrorCode.REBALANCE_IN_PROGRESS);
    // Commits are still accepted during PreparingRebalance.
    const commit = await coordinator.commitOffsets({
      groupId: 'g',
      generationId: 1,
      memberId: a.memberId,
      groupInstanceId: null,
      retentionTimeMs: -1,
      offsets: [{ topic: 'orders', partition: 0, offset: 5n, leaderEpoch: -1, metadata: null }],
    });
    expect(commit[0].errorCode).toBe(ErrorCode.NONE);
    const aRejoin = await coordinator.joinGroup(joinRequest({ memberId: a.memberId }));
    expect(aRejoin.generationId).toBe(2);
    expect(bAnswered).toBe(true);
  });

  it('a follower that rejoins a Stable group with unchanged metadata gets the current generation without a rebalance', async () => {
    const { coordinator } = setup();
    const { b } = await stableTwoMembers(coordinator);
    const again = await coordinator.joinGroup(joinRequest({ memberId: b, clientId: 'b' }));
    expect(again).toMatchObject({ errorCode: 0, generationId: 2, members: [] });
    expect(coordinator.describeGroups(['g'])[0].state).toBe('Stable');
  });

  it('rejects members that share no protocol, or another protocol type, with the group', async () => {
    const { coordinator } = setup();
    const a = await coordinator.joinGroup(joinRequest({ requireKnownMemberId: false }));
    expect(a.protocolName).toBe('range');
    const conflicting = await coordinator.joinGroup(
      joinRequest({
        requireKnownMemberId: false,
        protocols: [{ name: 'sticky', metadata: subscription('t') }],
      }),
    );
    expect(conflicting.errorCode).toBe(ErrorCode.INCONSISTENT_GROUP_PROTOCOL);
    const otherType = await coordinator.joinGroup(
      joinRequest({ requireKnownMemberId: false, protocolType: 'connect' }),
    );
    expect(otherType.errorCode).toBe(ErrorCode.INCONSISTENT_GROUP_PROTOCOL);
    const noProtocols = await coordinator.joinGroup(joinRequest({ groupId: 'fresh', protocols: [] }));
    expect(noProtocols.errorCode).toBe(ErrorCode.INCONSISTENT_GROUP_PROTOCOL);
    expect(coordinator.describeGroups(['g'])[0].state).toBe('CompletingRebalance');
  });

  it('selects the protocol by vote among those all members support', async () => {
    const { coordinator } = setup();
    const a = await coordinator.joinGroup(
      joinRequest({
        requireKnownMemberId: false,
        protocols: [
          { name: 'range', metadata: subscription('t') },
          { name: 'roundrobin', metadata: subscription('t') },
        ],
      }),
    );
    const bJoin = coordinator.joinGroup(
      joinRequest({
        requireKnownMemberId: false,
        protocols: [{ name: 'roundrobin', metadata: subscription('t') }],
      }),
    );
    const aJoin = coordinator.joinGroup(
      joinRequest({
        memberId: a.memberId,
        protocols: [
          { name: 'range', metadata: subscription('t') },
          { name: 'roundrobin', metadata: subscription('t') },
        ],
      }),
    );
    const [aResult, bResult] = await Promise.all([aJoin, bJoin]);
    expect(aResult.protocolName).toBe('roundrobin');
    expect(bResult.protocolName).toBe('roundrobin');
    expect(aResult.generationId).toBe(2);
  });

  it('rejects invalid session timeouts, empty group ids and unknown member ids', async () => {
    const { coordinator } = setup(undefined, { minSessionTimeoutMs: 6000 });
    expect((await coordinator.joinGroup(joinRequest({ sessionTimeoutMs: 100 }))).errorCode).toBe(
      ErrorCode.INVALID_SESSION_TIMEOUT,
    );
    expect((await coordinator.joinGroup(joinRequest({ groupId: '' }))).errorCode).toBe(
      ErrorCode.INVALID_GROUP_ID,
    );
    expect((await coordinator.joinGroup(joinRequest({ memberId: 'ghost' }))).errorCode).toBe(
      ErrorCode.UNKNOWN_MEMBER_ID,
    );
    expect(coordinator.listGroups()).toEqual([]);
  });

  it('waits the initial rebalance delay before answering the first member of an empty group', async () => {
    const { coordinator, clock } = setup(undefined, { initialRebalanceDelayMs: 80 });
    let answered = false;
    const a = coordinator
      .joinGroup(joinRequest({ requireKnownMemberId: false }))
      .finally(() => (answered = true));
    await clock.advance(79);
    expect(answered).toBe(false);
    await clock.advance(1);
    expect(answered).toBe(true);
    expect((await a).generationId).toBe(1);
  });

  it('restarts the initial delay while members keep arriving, so members starting together share the first generation', async () => {
    const { coordinator, clock } = setup(undefined, { initialRebalanceDelayMs: 80 });
    let answers = 0;
    const a = coordinator.joinGroup(joinRequest({ requireKnownMemberId: false, clientId: 'a' }));
    await clock.advance(20);
    const b = coordinator.joinGroup(joinRequest({ requireKnownMemberId: false, clientId: 'b' }));
    for (const join of [a, b]) void join.then(() => answers++);
    // At 80 ms the delay ends with a newcomer in it: it runs once more instead of completing.
    await clock.advance(60);
    expect(answers).toBe(0);
    await clock.advance(79);
    expect(answers).toBe(0);
    await clock.advance(1);
    const [aResult, bResult] = await Promise.all([a, b]);
    expect(aResult.generationId).toBe(1);
    expect(bResult.generationId).toBe(1);
    expect(aResult.members).toHaveLength(2);
  });
});

describe('KIP-394 member id required', () => {
  it('hands out an id with MEMBER_ID_REQUIRED and accepts only a rejoin with it', async () => {
    const { coordinator } = setup();
    const first = await coordinator.joinGroup(joinRequest());
    expect(first).toMatchObject({ errorCode: ErrorCode.MEMBER_ID_REQUIRED, generationId: -1 });
    expect(first.memberId).toMatch(/^client-/);
    const wrong = await coordinator.joinGroup(joinRequest({ memberId: 'client-made-up' }));
    expect(wrong.errorCode).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
    const joined = await coordinator.joinGroup(joinRequest({ memberId: first.memberId }));
    expect(joined).toMatchObject({
      errorCode: 0,
      memberId: first.memberId,
      leader: first.memberId,
      generationId: 1,
    });
  });

  it('joins directly when the request version does not require a known member id', async () => {
    const { coordinator } = setup();
    const joined = await coordinator.joinGroup(joinRequest({ requireKnownMemberId: false }));
    expect(joined).toMatchObject({ errorCode: 0, generationId: 1 });
  });

  it('forgets a pending member id after its session timeout', async () => {
    const { coordinator, clock } = setup();
    const first = await coordinator.joinGroup(joinRequest({ sessionTimeoutMs: 40 }));
    await clock.advance(40);
    const late = await coordinator.joinGroup(joinRequest({ memberId: first.memberId, sessionTimeoutMs: 40 }));
    expect(late.errorCode).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
  });

  it('a pending member blocks the join phase until it rejoins', async () => {
    const { coordinator } = setup();
    const a = await stableSingleMember(coordinator);
    const pending = await coordinator.joinGroup(joinRequest({ clientId: 'b' }));
    expect(pending.errorCode).toBe(ErrorCode.MEMBER_ID_REQUIRED);
    // A rejoin of the leader now waits for the pending member as well.
    let aAnswer: JoinResult | null = null;
    const aJoin = coordinator.joinGroup(joinRequest({ memberId: a.memberId })).then((r) => (aAnswer = r));
    await settle();
    expect(aAnswer).toBeNull();
    const bJoin = coordinator.joinGroup(joinRequest({ memberId: pending.memberId, clientId: 'b' }));
    await Promise.all([aJoin, bJoin]);
    expect(aAnswer!.members).toHaveLength(2);
  });
});

describe('membership changes', () => {
  it('a member leaving makes the others rejoin into a new generation', async () => {
    const { coordinator } = setup();
    const { a, b } = await stableTwoMembers(coordinator);
    const left = coordinator.leaveGroup('g', [{ memberId: b, groupInstanceId: null, reason: 'shutdown' }]);
    expect(left).toEqual({ errorCode: 0, members: [{ memberId: b, groupInstanceId: null, errorCode: 0 }] });
    expect(coordinator.heartbeat({ groupId: 'g', generationId: 2, memberId: a, groupInstanceId: null })).toBe(
      ErrorCode.REBALANCE_IN_PROGRESS,
    );
    const rejoin = await coordinator.joinGroup(joinRequest({ memberId: a }));
    expect(rejoin).toMatchObject({ generationId: 3, leader: a });
    expect(rejoin.members.map((m) => m.memberId)).toEqual([a]);
    // Leaving twice, or as a stranger, is reported per member.
    const again = coordinator.leaveGroup('g', [
      { memberId: b, groupInstanceId: null },
      { memberId: '', groupInstanceId: 'nobody' },
    ]);
    expect(again.members.map((m) => m.errorCode)).toEqual([
      ErrorCode.UNKNOWN_MEMBER_ID,
      ErrorCode.UNKNOWN_MEMBER_ID,
    ]);
    expect(
      coordinator.leaveGroup('missing', [{ memberId: 'x', groupInstanceId: null }]).members[0].errorCode,
    ).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
  });

  it('the last member leaving empties the group and persists the empty generation', async () => {
    const { coordinator, store } = setup();
    const a = await stableSingleMember(coordinator);
    coordinator.leaveGroup('g', [{ memberId: a.memberId, groupInstanceId: null }]);
    expect(coordinator.describeGroups(['g'])[0]).toMatchObject({ state: 'Empty', members: [] });
    await settle();
    expect(store.records).toHaveLength(2);
  });

  it('removes a member whose session expires and rebalances the rest', async () => {
    const { coordinator, clock } = setup();
    const a = await stableSingleMember(coordinator, { sessionTimeoutMs: 5000 });
    // b joins with a short session, then goes silent after syncing.
    const b = await joinWithId(coordinator, { clientId: 'b', sessionTimeoutMs: 60 });
    const aJoin = coordinator.joinGroup(joinRequest({ memberId: a.memberId, sessionTimeoutMs: 5000 }));
    const [aResult] = await Promise.all([aJoin, b.joined]);
    const bSync = coordinator.syncGroup({
      groupId: 'g',
      generationId: 2,
      memberId: b.memberId,
      groupInstanceId: null,
      protocolType: null,
      protocolName: null,
      assignments: [],
    });
    await coordinator.syncGroup({
      groupId: 'g',
      generationId: 2,
      memberId: a.memberId,
      groupInstanceId: null,
      protocolType: null,
      protocolName: null,
      assignments: [],
    });
    await bSync;
    expect(aResult.members).toHaveLength(2);
    // a keeps heartbeating; b does not, and is gone exactly one session timeout after its last sign of life.
    await clock.advance(30);
    coordinator.heartbeat({ groupId: 'g', generationId: 2, memberId: a.memberId, groupInstanceId: null });
    await clock.advance(29);
    expect(coordinator.describeGroups(['g'])[0].members).toHaveLength(2);
    await clock.advance(1);
    expect(coordinator.describeGroups(['g'])[0].members).toHaveLength(1);
    expect(
      coordinator.heartbeat({ groupId: 'g', generationId: 2, memberId: b.memberId, groupInstanceId: null }),
    ).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
    expect(
      coordinator.heartbeat({ groupId: 'g', generationId: 2, memberId: a.memberId, groupInstanceId: null }),
    ).toBe(ErrorCode.REBALANCE_IN_PROGRESS);
    const rejoin = await coordinator.joinGroup(joinRequest({ memberId: a.memberId, sessionTimeoutMs: 5000 }));
    expect(rejoin.members.map((m) => m.memberId)).toEqual([a.memberId]);
  });

  it('drops members that do not rejoin within the rebalance timeout', async () => {
    const { coordinator, clock } = setup();
    const { a, b } = await stableTwoMembers(coordinator, { rebalanceTimeoutMs: 100 });
    // The leader rejoining forces a rebalance; b never rejoins.
    let answered = false;
    const pending = coordinator
      .joinGroup(joinRequest({ memberId: a, rebalanceTimeoutMs: 100 }))
      .finally(() => (answered = true));
    await clock.advance(99);
    expect(answered).toBe(false);
    await clock.advance(1);
    const rejoin = await pending;
    expect(rejoin).toMatchObject({ generationId: 3, leader: a });
    expect(rejoin.members.map((m) => m.memberId)).toEqual([a]);
    expect(coordinator.heartbeat({ groupId: 'g', generationId: 2, memberId: b, groupInstanceId: null })).toBe(
      ErrorCode.UNKNOWN_MEMBER_ID,
    );
  });

  it('removes members that never send SyncGroup after the join phase', async () => {
    const { coordinator, clock } = setup();
    const { memberId, joined } = await joinWithId(coordinator, { rebalanceTimeoutMs: 60 });
    await joined;
    await clock.advance(59);
    expect(coordinator.describeGroups(['g'])[0].state).toBe('CompletingRebalance');
    await clock.advance(1);
    expect(coordinator.describeGroups(['g'])[0]).toMatchObject({ state: 'Empty', members: [] });
    expect(coordinator.heartbeat({ groupId: 'g', generationId: 1, memberId, groupInstanceId: null })).toBe(
      ErrorCode.UNKNOWN_MEMBER_ID,
    );
  });
});

describe('fencing', () => {
  it('rejects stale generations and unknown members everywhere', async () => {
    const { coordinator } = setup();
    const { a } = await stableTwoMembers(coordinator);
    const stale = { groupId: 'g', generationId: 1, memberId: a, groupInstanceId: null };
    expect(coordinator.heartbeat(stale)).toBe(ErrorCode.ILLEGAL_GENERATION);
    const sync = await coordinator.syncGroup({
      ...stale,
      protocolType: null,
      protocolName: null,
      assignments: [],
    });
    expect(sync.errorCode).toBe(ErrorCode.ILLEGAL_GENERATION);
    const commit = await coordinator.commitOffsets({
      ...stale,
      retentionTimeMs: -1,
      offsets: [{ topic: 'orders', partition: 0, offset: 1n, leaderEpoch: -1, metadata: '' }],
    });
    expect(commit[0].errorCode).toBe(ErrorCode.ILLEGAL_GENERATION);
    const unknown = { groupId: 'g', generationId: 2, memberId: 'nobody', groupInstanceId: null };
    expect(coordinator.heartbeat(unknown)).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
    expect(
      (await coordinator.syncGroup({ ...unknown, protocolType: null, protocolName: null, assignments: [] }))
        .errorCode,
    ).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
    const wrongProtocol = await coordinator.syncGroup({
      groupId: 'g',
      generationId: 2,
      memberId: a,
      groupInstanceId: null,
      protocolType: 'consumer',
      protocolName: 'sticky',
      assignments: [],
    });
    expect(wrongProtocol.errorCode).toBe(ErrorCode.INCONSISTENT_GROUP_PROTOCOL);
    expect(
      coordinator.heartbeat({ groupId: 'nope', generationId: 1, memberId: a, groupInstanceId: null }),
    ).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
  });

  it('a commit with generation -1 and no member id is refused while the group has members', async () => {
    const { coordinator } = setup();
    await stableSingleMember(coordinator);
    const commit = await coordinator.commitOffsets({
      groupId: 'g',
      generationId: -1,
      memberId: '',
      groupInstanceId: null,
      retentionTimeMs: -1,
      offsets: [{ topic: 'orders', partition: 0, offset: 1n, leaderEpoch: -1, metadata: '' }],
    });
    expect(commit[0].errorCode).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
  });
});

describe('static membership (KIP-345)', () => {
  const staticJoin = (instance: string, memberId = '') =>
    joinRequest({ groupInstanceId: instance, memberId, clientId: instance, supportSkippingAssignment: true });

  it('a restarted static member replaces its old id without a rebalance; the old id is fenced', async () => {
    const { coordinator, store } = setup();
    const first = await coordinator.joinGroup(staticJoin('i-1'));
    expect(first).toMatchObject({ errorCode: 0, generationId: 1 });
    expect(first.memberId).toMatch(/^i-1-/);
    await coordinator.syncGroup({
      groupId: 'g',
      generationId: 1,
      memberId: first.memberId,
      groupInstanceId: 'i-1',
      protocolType: null,
      protocolName: null,
      assignments: [{ memberId: first.memberId, assignment: assignment('p0') }],
    });

    const restarted = await coordinator.joinGroup(staticJoin('i-1'));
    expect(restarted.memberId).not.toBe(first.memberId);
    expect(restarted).toMatchObject({
      errorCode: 0,
      generationId: 1,
      leader: restarted.memberId,
      skipAssignment: true,
    });
    expect(restarted.members.map((m) => m.memberId)).toEqual([restarted.memberId]);
    expect(coordinator.describeGroups(['g'])[0]).toMatchObject({ state: 'Stable' });
    expect(coordinator.describeGroups(['g'])[0].members.map((m) => m.memberId)).toEqual([restarted.memberId]);

    const old = { groupId: 'g', generationId: 1, memberId: first.memberId, groupInstanceId: 'i-1' };
    expect(coordinator.heartbeat(old)).toBe(ErrorCode.FENCED_INSTANCE_ID);
    const oldJoin = await coordinator.joinGroup(staticJoin('i-1', first.memberId));
    expect(oldJoin.errorCode).toBe(ErrorCode.FENCED_INSTANCE_ID);
    expect(
      coordinator.leaveGroup('g', [{ memberId: first.memberId, groupInstanceId: 'i-1' }]).members[0]
        .errorCode,
    ).toBe(ErrorCode.FENCED_INSTANCE_ID);

    // The new id inherits the assignment.
    const sync = await coordinator.syncGroup({
      groupId: 'g',
      generationId: 1,
      memberId: restarted.memberId,
      groupInstanceId: 'i-1',
      protocolType: null,
      protocolName: null,
      assignments: [],
    });
    expect(sync.assignment).toEqual(assignment('p0'));
    // The replacement was persisted: the last group record names the new id.
    expect(store.records.at(-1)!.value!.includes(Buffer.from(restarted.memberId))).toBe(true);
  });

  it('keeps the old static member id when persisting the replacement fails', async () => {
    const { coordinator, store } = setup();
    const first = await coordinator.joinGroup(staticJoin('i-1'));
    await coordinator.syncGroup({
      groupId: 'g',
      generationId: 1,
      memberId: first.memberId,
      groupInstanceId: 'i-1',
      protocolType: null,
      protocolName: null,
      assignments: [],
    });
    store.failNext = true;
    const restarted = await coordinator.joinGroup(staticJoin('i-1'));
    expect(restarted).toMatchObject({ errorCode: ErrorCode.COORDINATOR_NOT_AVAILABLE, memberId: '' });
    expect(
      coordinator.heartbeat({
        groupId: 'g',
        generationId: 1,
        memberId: first.memberId,
        groupInstanceId: 'i-1',
      }),
    ).toBe(ErrorCode.NONE);
  });

  it('before JoinGroup v9 a restarted static leader is told the old leader id, so it does not assign', async () => {
    const { coordinator } = setup();
    const first = await coordinator.joinGroup(joinRequest({ groupInstanceId: 'i-1', clientId: 'i-1' }));
    await coordinator.syncGroup({
      groupId: 'g',
      generationId: 1,
      memberId: first.memberId,
      groupInstanceId: 'i-1',
      protocolType: null,
      protocolName: null,
      assignments: [],
    });
    const restarted = await coordinator.joinGroup(joinRequest({ groupInstanceId: 'i-1', clientId: 'i-1' }));
    expect(restarted).toMatchObject({ leader: first.memberId, skipAssignment: false, members: [] });
  });

  it('fences a parked JoinGroup of the old id when the instance rejoins during a rebalance', async () => {
    const { coordinator } = setup();
    const a = await coordinator.joinGroup(staticJoin('i-a'));
    // b static joins: rebalance, both must rejoin.
    const bJoin = coordinator.joinGroup(staticJoin('i-b'));
    const aRejoin = coordinator.joinGroup(staticJoin('i-a', a.memberId));
    const [aResult, bResult] = await Promise.all([aRejoin, bJoin]);
    expect(aResult.generationId).toBe(2);
    for (const member of [aResult, bResult]) {
      void coordinator.syncGroup({
        groupId: 'g',
        generationId: 2,
        memberId: member.memberId,
        groupInstanceId: member === aResult ? 'i-a' : 'i-b',
        protocolType: null,
        protocolName: null,
        assignments: [],
      });
    }
    await settle();
    expect(coordinator.describeGroups(['g'])[0].state).toBe('Stable');
    // a rejoins (as leader) to force a rebalance; b has not rejoined, so a's JoinGroup is parked.
    const parked = coordinator.joinGroup(staticJoin('i-a', a.memberId));
    const duplicate = coordinator.joinGroup(staticJoin('i-a'));
    expect((await parked).errorCode).toBe(ErrorCode.FENCED_INSTANCE_ID);
    const bAgain = coordinator.joinGroup(staticJoin('i-b', bResult.memberId));
    const [dup, b2] = await Promise.all([duplicate, bAgain]);
    expect(dup.generationId).toBe(3);
    expect(b2.generationId).toBe(3);
    expect(dup.memberId).not.toBe(a.memberId);
  });

  it('an administrator can remove a static member by instance id', async () => {
    const { coordinator } = setup();
    const a = await coordinator.joinGroup(staticJoin('i-a'));
    const result = coordinator.leaveGroup('g', [{ memberId: '', groupInstanceId: 'i-a' }]);
    expect(result.members[0]).toEqual({ memberId: '', groupInstanceId: 'i-a', errorCode: 0 });
    expect(coordinator.describeGroups(['g'])[0].state).toBe('Empty');
    expect(
      coordinator.heartbeat({ groupId: 'g', generationId: 1, memberId: a.memberId, groupInstanceId: 'i-a' }),
    ).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
  });
});
