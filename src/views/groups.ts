// Views of consumer groups that the CLI and the console share: a group's description with its lag,
// totalled per topic as well as per partition. Built on src/client.
import type { GroupDescription, Kafka } from '../client/index.js';

export interface TopicLag {
  topic: string;
  /** Partitions the group has an offset for or a member on. */
  partitions: number;
  /** Records written but not yet consumed; partitions without a committed offset count as 0. */
  lag: bigint;
}

export interface GroupView extends GroupDescription {
  lagByTopic: TopicLag[];
}

export async function describeGroup(kafka: Pick<Kafka, 'groups'>, group: string): Promise<GroupView> {
  return groupView(await kafka.groups.describe(group));
}

export function groupView(described: GroupDescription): GroupView {
  const byTopic = new Map<string, TopicLag>();
  for (const entry of described.offsets) {
    const total = byTopic.get(entry.topic) ?? { topic: entry.topic, partitions: 0, lag: 0n };
    total.partitions++;
    total.lag += entry.lag ?? 0n;
    byTopic.set(entry.topic, total);
  }
  return { ...described, lagByTopic: [...byTopic.values()].sort((a, b) => a.topic.localeCompare(b.topic)) };
}

/** "orders[0,1] payments[2]": the partitions a member is assigned, in one cell. */
export function assignmentsText(assignments: GroupDescription['members'][number]['assignments']): string {
  return assignments.map((assignment) => `${assignment.topic}[${assignment.partitions.join(',')}]`).join(' ');
}
