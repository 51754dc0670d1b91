// A partition assignor that keeps partition p of every topic on the same member (p modulo the members,
// sorted by id), as Kafka Streams assigns a task: a stream processor whose topics are partitioned alike
// (a join's sides, an aggregation's input and its changelog) then holds matching partitions together.
import type { GroupPartitionsAssigner } from '@platformatic/kafka';

export const copartitionedAssigner: GroupPartitionsAssigner = (_current, members, topics, metadata) => {
  const ids = [...members.keys()].sort();
  const assignments = ids.map((memberId) => ({
    memberId,
    assignments: new Map<string, { topic: string; partitions: number[] }>(),
  }));
  for (const topic of topics) {
    const subscribed = assignments.filter(({ memberId }) => members.get(memberId)?.topics?.includes(topic));
    if (subscribed.length === 0) continue;
    const count = metadata.topics.get(topic)?.partitionsCount ?? 0;
    for (let partition = 0; partition < count; partition++) {
      const member = subscribed[partition % subscribed.length];
      if (member === undefined) continue;
      const held = member.assignments.get(topic) ?? { topic, partitions: [] };
      held.partitions.push(partition);
      member.assignments.set(topic, held);
    }
  }
  return assignments;
};
