// The group view totals lag per topic; partitions without a committed offset count as no lag.
import { describe, expect, it } from 'vitest';
import type { GroupDescription } from '../../src/client/index.js';
import { assignmentsText, groupView } from '../../src/views/groups.js';

const offsets = (topic: string, partition: number, lag: bigint | null) => ({
  topic,
  partition,
  committedOffset: lag === null ? null : 0n,
  endOffset: lag ?? 0n,
  lag,
  memberId: null,
});

const described: GroupDescription = {
  id: 'billing',
  state: 'Empty',
  protocolType: 'consumer',
  protocol: '',
  members: [],
  offsets: [offsets('payments', 0, 4n), offsets('orders', 0, 3n), offsets('orders', 1, null)],
  totalLag: 7n,
};

describe('group view', () => {
  it('totals the lag of each topic', () => {
    expect(groupView(described).lagByTopic).toEqual([
      { topic: 'orders', partitions: 2, lag: 3n },
      { topic: 'payments', partitions: 1, lag: 4n },
    ]);
  });

  it('writes a member assignment in one cell', () => {
    expect(
      assignmentsText([
        { topic: 'orders', partitions: [0, 1] },
        { topic: 'payments', partitions: [2] },
      ]),
    ).toBe('orders[0,1] payments[2]');
  });
});
