import { afterEach, describe, expect, it } from 'vitest';
import { ErrorCode } from '../../../src/protocol/error-codes.js';
import {
  decodeOffsetCommitValue,
  decodeRecordKey,
  type GroupCoordinator,
  type OffsetCommitRequest,
} from '../../../src/broker/groups/index.js';
import { joinRequest, joinWithId, MemoryStore, newCoordinator, settle, subscription } from './helpers.js';

const coordinators: GroupCoordinator[] = [];
function setup(store = new MemoryStore()) {
  const created = newCoordinator(store);
  coordinators.push(created.coordinator);
  return created;
}
afterEach(() => {
  for (const coordinator of coordinators.splice(0)) coordinator.shutdown();
});

function simpleCommit(
  groupId: string,
  offsets: [string, number, bigint][],
  metadata: string | null = null,
): OffsetCommitRequest {
  return {
    groupId,
    generationId: -1,
    memberId: '',
    groupInstanceId: null,
    retentionTimeMs: -1,
    offsets: offsets.map(([topic, partition, offset]) => ({
      topic,
      partition,
      offset,
      leaderEpoch: 3,
      metadata,
    })),
  };
}

/** A consumer group with one member subscribed to `topics`, Stable at generation 1. */
async function stableConsumer(
  coordinator: GroupCoordinator,
  groupId: string,
  topics: string[],
  protocolType = 'consumer',
  sessionTimeoutMs = 10_000,
) {
  const overrides = {
    groupId,
    protocolType,
    sessionTimeoutMs,
    protocols: [{ name: 'range', metadata: subscription(...topics) }],
  };
  const { memberId, joined } = await joinWithId(coordinator, overrides);
  await joined;
  await coordinator.syncGroup({
    groupId,
    generationId: 1,
    memberId,
    groupInstanceId: null,
    protocolType: null,
    protocolName: null,
    assignments: [{ memberId, assignment: Buffer.from('assigned') }],
  });
  return memberId;
}

describe('OffsetCommit / OffsetFetch', () => {
  it('stores standalone commits (generation -1) in an Empty group and fetches them back', async () => {
    const { coordinator } = setup();
    const result = await coordinator.commitOffsets(
      simpleCommit(
        'simple',
        [
          ['orders', 0, 10n],
          ['orders', 1, 20n],
          ['audit', 0, 5n],
        ],
        'note',
      ),
    );
    expect(result.map((r) => r.errorCode)).toEqual([0, 0, 0]);
    expect(coordinator.describeGroups(['simple'])[0]).toMatchObject({ state: 'Empty', protocolType: '' });
    expect(coordinator.listGroups()).toEqual([{ groupId: 'simple', protocolType: '', state: 'Empty' }]);

    const fetched = coordinator.fetchOffsets('simple', [
      { topic: 'orders', partition: 1 },
      { topic: 'orders', partition: 9 },
    ]);
    expect(fetched).toEqual([
      { topic: 'orders', partition: 1, offset: 20n, leaderEpoch: 3, metadata: 'note', errorCode: 0 },
      { topic: 'orders', partition: 9, offset: -1n, leaderEpoch: -1, metadata: '', errorCode: 0 },
    ]);
    const all = coordinator.fetchOffsets('simple', null);
    expect(all.map((o) => [o.topic, o.partition, o.offset])).toEqual([
      ['audit', 0, 5n],
      ['orders', 0, 10n],
      ['orders', 1, 20n],
    ]);
    expect(coordinator.fetchOffsets('nobody', null)).toEqual([]);
    expect(coordinator.fetchOffsets('nobody', [{ topic: 't', partition: 0 }])[0].offset).toBe(-1n);
    // Later commits win.
    await coordinator.commitOffsets(simpleCommit('simple', [['orders', 0, 11n]]));
    expect(coordinator.fetchOffsets('simple', [{ topic: 'orders', partition: 0 }])[0].offset).toBe(11n);
  });

  it('answers a commit only after the store acknowledged it', async () => {
    const store = new MemoryStore();
    const { coordinator } = setup(store);
    let release!: () => void;
    store.gate = new Promise((resolve) => (release = resolve));
    let answered = false;
    const commit = coordinator.commitOffsets(simpleCommit('g', [['t', 0, 1n]])).then((r) => {
      answered = true;
      return r;
    });
    await settle();
    expect(answered).toBe(false);
    expect(coordinator.fetchOffsets('g', [{ topic: 't', partition: 0 }])[0].offset).toBe(-1n);
    release();
    expect((await commit)[0].errorCode).toBe(0);
    expect(store.records).toHaveLength(1);
    const key = decodeRecordKey(store.records[0].key);
    expect(key).toEqual({ kind: 'offset', group: 'g', topic: 't', partition: 0 });
    expect(decodeOffsetCommitValue(store.records[0].value!)).toMatchObject({
      offset: 1n,
      leaderEpoch: 3,
      expireTimestamp: -1,
    });
  });

  it('reports a store failure per partition and keeps nothing', async () => {
    const store = new MemoryStore();
    const { coordinator } = setup(store);
    store.failNext = true;
    const result = await coordinator.commitOffsets(simpleCommit('g', [['t', 0, 1n]]));
    expect(result[0].errorCode).toBe(ErrorCode.COORDINATOR_NOT_AVAILABLE);
    expect(coordinator.fetchOffsets('g', null)).toEqual([]);
    expect(coordinator.listGroups()).toEqual([]);
  });

  it('refuses oversized metadata per partition and keeps an explicit retention', async () => {
    const { coordinator, store } = setup();
    const request = simpleCommit('g', [['t', 0, 1n]]);
    request.retentionTimeMs = 60_000;
    request.offsets.push({
      topic: 't',
      partition: 1,
      offset: 2n,
      leaderEpoch: -1,
      metadata: 'x'.repeat(5000),
    });
    const result = await coordinator.commitOffsets(request);
    expect(result.map((r) => r.errorCode)).toEqual([0, ErrorCode.OFFSET_METADATA_TOO_LARGE]);
    const value = decodeOffsetCommitValue(store.records[0].value!);
    expect(value.expireTimestamp - value.commitTimestamp).toBe(60_000);
  });

  it('accepts commits from members of the current generation, not during CompletingRebalance, not for unknown groups', async () => {
    const { coordinator } = setup();
    const { memberId, joined } = await joinWithId(coordinator);
    await joined;
    const member = { groupId: 'g', generationId: 1, memberId, groupInstanceId: null, retentionTimeMs: -1 };
    const offsets = [{ topic: 'orders', partition: 0, offset: 7n, leaderEpoch: -1, metadata: null }];
    expect((await coordinator.commitOffsets({ ...member, offsets }))[0].errorCode).toBe(
      ErrorCode.REBALANCE_IN_PROGRESS,
    );
    await coordinator.syncGroup({ ...member, protocolType: null, protocolName: null, assignments: [] });
    expect((await coordinator.commitOffsets({ ...member, offsets }))[0].errorCode).toBe(0);
    expect(coordinator.fetchOffsets('g', [{ topic: 'orders', partition: 0 }])[0].offset).toBe(7n);
    const unknownGroup = await coordinator.commitOffsets({ ...member, groupId: 'other', offsets });
    expect(unknownGroup[0].errorCode).toBe(ErrorCode.ILLEGAL_GENERATION);
  });
});

describe('OffsetDelete', () => {
  it('deletes offsets of an Empty group, writing tombstones; the group goes when its last offset does', async () => {
    const { coordinator, store } = setup();
    await coordinator.commitOffsets(
      simpleCommit('g', [
        ['a', 0, 1n],
        ['b', 0, 2n],
      ]),
    );
    const first = await coordinator.deleteOffsets('g', [{ topic: 'a', partition: 0 }]);
    expect(first).toEqual({ errorCode: 0, partitions: [{ topic: 'a', partition: 0, errorCode: 0 }] });
    expect(store.records.at(-1)!.value).toBeNull();
    expect(coordinator.fetchOffsets('g', null).map((o) => o.topic)).toEqual(['b']);
    await coordinator.deleteOffsets('g', [{ topic: 'b', partition: 0 }]);
    expect(coordinator.listGroups()).toEqual([]);
    expect((await coordinator.deleteOffsets('g', [{ topic: 'b', partition: 0 }])).errorCode).toBe(
      ErrorCode.GROUP_ID_NOT_FOUND,
    );
  });

  it('refuses topics a live consumer group subscribes to, per partition', async () => {
    const { coordinator } = setup();
    const memberId = await stableConsumer(coordinator, 'g', ['orders']);
    await coordinator.commitOffsets({
      groupId: 'g',
      generationId: 1,
      memberId,
      groupInstanceId: null,
      retentionTimeMs: -1,
      offsets: [
        { topic: 'orders', partition: 0, offset: 1n, leaderEpoch: -1, metadata: '' },
        { topic: 'old', partition: 0, offset: 1n, leaderEpoch: -1, metadata: '' },
      ],
    });
    const result = await coordinator.deleteOffsets('g', [
      { topic: 'orders', partition: 0 },
      { topic: 'old', partition: 0 },
    ]);
    expect(result.errorCode).toBe(0);
    expect(result.partitions).toEqual(
      expect.arrayContaining([
        { topic: 'orders', partition: 0, errorCode: ErrorCode.GROUP_SUBSCRIBED_TO_TOPIC },
        { topic: 'old', partition: 0, errorCode: 0 },
      ]),
    );
    expect(coordinator.fetchOffsets('g', null).map((o) => o.topic)).toEqual(['orders']);
  });

  it('refuses any deletion for a live group of another protocol type', async () => {
    const { coordinator } = setup();
    await stableConsumer(coordinator, 'workers', ['t'], 'connect');
    expect((await coordinator.deleteOffsets('workers', [{ topic: 't', partition: 0 }])).errorCode).toBe(
      ErrorCode.NON_EMPTY_GROUP,
    );
  });
});

describe('DescribeGroups / ListGroups / DeleteGroups', () => {
  it('describes members with metadata and assignment when Stable, and unknown groups as Dead', async () => {
    const { coordinator } = setup();
    const memberId = await stableConsumer(coordinator, 'g', ['orders']);
    const [described, unknown] = coordinator.describeGroups(['g', 'nope']);
    expect(described).toEqual({
      errorCode: 0,
      groupId: 'g',
      state: 'Stable',
      protocolType: 'consumer',
      protocolData: 'range',
      members: [
        {
          memberId,
          groupInstanceId: null,
          clientId: 'client',
          clientHost: '/127.0.0.1',
          metadata: subscription('orders'),
          assignment: Buffer.from('assigned'),
        },
      ],
    });
    expect(unknown).toEqual({
      errorCode: 0,
      groupId: 'nope',
      state: 'Dead',
      protocolType: '',
      protocolData: '',
      members: [],
    });
  });

  it('lists groups, filtered by state case-insensitively', async () => {
    const { coordinator } = setup();
    await stableConsumer(coordinator, 'live', ['t']);
    await coordinator.commitOffsets(simpleCommit('idle', [['t', 0, 1n]]));
    const ids = (states?: string[]) =>
      coordinator
        .listGroups(states)
        .map((g) => g.groupId)
        .sort();
    expect(ids()).toEqual(['idle', 'live']);
    expect(ids(['stable'])).toEqual(['live']);
    expect(ids(['Empty'])).toEqual(['idle']);
    expect(ids(['PreparingRebalance'])).toEqual([]);
  });

  it('deletes only empty groups, with tombstones for the group and its offsets', async () => {
    const { coordinator, store } = setup();
    const memberId = await stableConsumer(coordinator, 'g', ['t']);
    await coordinator.commitOffsets({
      groupId: 'g',
      generationId: 1,
      memberId,
      groupInstanceId: null,
      retentionTimeMs: -1,
      offsets: [{ topic: 't', partition: 0, offset: 3n, leaderEpoch: -1, metadata: '' }],
    });
    expect(await coordinator.deleteGroups(['g', 'missing'])).toEqual([
      { groupId: 'g', errorCode: ErrorCode.NON_EMPTY_GROUP },
      { groupId: 'missing', errorCode: ErrorCode.GROUP_ID_NOT_FOUND },
    ]);
    coordinator.leaveGroup('g', [{ memberId, groupInstanceId: null }]);
    await settle();
    const before = store.records.length;
    expect(await coordinator.deleteGroups(['g'])).toEqual([{ groupId: 'g', errorCode: 0 }]);
    const tombstones = store.records.slice(before);
    expect(tombstones.every((r) => r.value === null)).toBe(true);
    expect(tombstones.map((r) => decodeRecordKey(r.key).kind).sort()).toEqual(['group', 'offset']);
    expect(coordinator.describeGroups(['g'])[0].state).toBe('Dead');
    expect(coordinator.fetchOffsets('g', [{ topic: 't', partition: 0 }])[0].offset).toBe(-1n);
  });
});

describe('durability', () => {
  it('load() of what append() received rebuilds offsets, groups and deletions', async () => {
    const store = new MemoryStore();
    const { coordinator } = setup(store);
    await coordinator.commitOffsets(
      simpleCommit(
        'simple',
        [
          ['a', 0, 1n],
          ['a', 1, 2n],
        ],
        'meta',
      ),
    );
    await coordinator.commitOffsets(simpleCommit('simple', [['a', 0, 5n]]));
    await coordinator.deleteOffsets('simple', [{ topic: 'a', partition: 1 }]);
    const memberId = await stableConsumer(coordinator, 'live', ['orders']);
    await coordinator.commitOffsets({
      groupId: 'live',
      generationId: 1,
      memberId,
      groupInstanceId: null,
      retentionTimeMs: -1,
      offsets: [{ topic: 'orders', partition: 2, offset: 99n, leaderEpoch: 4, metadata: 'x' }],
    });
    await coordinator.commitOffsets(simpleCommit('gone', [['a', 0, 1n]]));
    await coordinator.deleteGroups(['gone']);
    // A group whose members all left: persisted Empty at generation 2.
    const { memberId: leaver, joined } = await joinWithId(coordinator, { groupId: 'left' });
    await joined;
    coordinator.leaveGroup('left', [{ memberId: leaver, groupInstanceId: null }]);
    await settle();

    const { coordinator: restarted } = setup(new MemoryStore());
    restarted.load(store.records);
    for (const groupId of ['simple', 'live', 'gone', 'left']) {
      expect(restarted.fetchOffsets(groupId, null)).toEqual(coordinator.fetchOffsets(groupId, null));
    }
    expect(
      restarted.fetchOffsets('simple', null).map((o) => [o.topic, o.partition, o.offset, o.metadata]),
    ).toEqual([['a', 0, 5n, '']]);
    expect(
      restarted
        .listGroups()
        .map((g) => `${g.groupId}:${g.state}`)
        .sort(),
    ).toEqual(['left:Empty', 'live:Stable', 'simple:Empty']);
    expect(restarted.describeGroups(['live'])).toEqual(coordinator.describeGroups(['live']));
    // The member of the restored Stable group keeps working without a rebalance.
    expect(restarted.heartbeat({ groupId: 'live', generationId: 1, memberId, groupInstanceId: null })).toBe(
      0,
    );
    const sync = await restarted.syncGroup({
      groupId: 'live',
      generationId: 1,
      memberId,
      groupInstanceId: null,
      protocolType: 'consumer',
      protocolName: 'range',
      assignments: [],
    });
    expect(sync.assignment).toEqual(Buffer.from('assigned'));
    // A new member joining the restored group starts generation 2 as usual.
    const newcomer = await joinWithId(restarted, { groupId: 'live', clientId: 'n' });
    const leaderRejoin = restarted.joinGroup(joinRequest({ groupId: 'live', memberId }));
    const [leaderResult] = await Promise.all([leaderRejoin, newcomer.joined]);
    expect(leaderResult.generationId).toBe(2);
  });

  it('restored members that never come back expire after their session timeout', async () => {
    const store = new MemoryStore();
    const { coordinator } = setup(store);
    await stableConsumer(coordinator, 'g', ['t'], 'consumer', 60);
    coordinator.shutdown();
    const { coordinator: restarted, clock } = setup(new MemoryStore());
    restarted.load(store.records);
    expect(restarted.describeGroups(['g'])[0].state).toBe('Stable');
    await clock.advance(59);
    expect(restarted.describeGroups(['g'])[0].state).toBe('Stable');
    await clock.advance(1);
    expect(restarted.describeGroups(['g'])[0]).toMatchObject({ state: 'Empty', members: [] });
  });
});

describe('shutdown', () => {
  it('answers parked requests and refuses new ones', async () => {
    const { coordinator } = setup();
    const a = await joinWithId(coordinator);
    await a.joined;
    await coordinator.syncGroup({
      groupId: 'g',
      generationId: 1,
      memberId: a.memberId,
      groupInstanceId: null,
      protocolType: null,
      protocolName: null,
      assignments: [],
    });
    const b = await joinWithId(coordinator, { clientId: 'b' });
    coordinator.shutdown();
    expect((await b.joined).errorCode).toBe(ErrorCode.NOT_COORDINATOR);
    expect((await coordinator.joinGroup(joinRequest())).errorCode).toBe(ErrorCode.COORDINATOR_NOT_AVAILABLE);
  });
});
