// The co-partitioned assignor: partition p of every topic goes to one member (members by id, p modulo
// their number), so a stream processor's input and internal topics split alike between servers.
import type { ClusterMetadata, ExtendedGroupProtocolSubscription } from '@platformatic/kafka';
import { describe, expect, it } from 'vitest';
import { copartitionedAssigner } from '../../src/client/copartitioned-assigner.js';

function metadataOf(counts: Record<string, number>): ClusterMetadata {
  return {
    topics: new Map(Object.entries(counts).map(([topic, partitionsCount]) => [topic, { partitionsCount }])),
  } as unknown as ClusterMetadata;
}

function member(memberId: string, topics: string[]): [string, ExtendedGroupProtocolSubscription] {
  return [memberId, { memberId, topics } as ExtendedGroupProtocolSubscription];
}

describe('copartitionedAssigner', () => {
  it('gives partition p of every topic to the same member, odd counts too', () => {
    const members = new Map([member('b', ['in', 'rep']), member('a', ['in', 'rep'])]);
    const assigned = copartitionedAssigner(
      'a',
      members,
      new Set(['in', 'rep']),
      metadataOf({ in: 3, rep: 3 }),
    );
    const byMember = Object.fromEntries(
      assigned.map((m) => [
        m.memberId,
        [...m.assignments.values()].map((a) => `${a.topic}:${a.partitions.join('')}`),
      ]),
    );
    expect(byMember).toEqual({ a: ['in:02', 'rep:02'], b: ['in:1', 'rep:1'] });
  });

  it('leaves a topic to the members subscribed to it', () => {
    const members = new Map([member('a', ['x']), member('b', ['x', 'y'])]);
    const assigned = copartitionedAssigner('a', members, new Set(['x', 'y']), metadataOf({ x: 2, y: 2 }));
    const y = assigned.flatMap((m) => (m.assignments.has('y') ? [m.memberId] : []));
    expect(y).toEqual(['b']);
  });
});
