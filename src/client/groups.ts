// Consumer groups: list, describe with lag, reset offsets (only while inactive), remove members, delete.
import type { KafkaConnection } from './connection.js';
import { KafkaClientError } from './errors.js';
import { EARLIEST, LATEST, listOffsets, offsetsForTimestamp } from './offsets.js';
import { topicPartitions } from './topics.js';
import type {
  GroupDescription,
  GroupMemberDescription,
  GroupPartitionOffsets,
  GroupSummary,
  OffsetResetPlan,
  ResetOffsetsOptions,
} from './types.js';

// Kafka's own spelling of group states, as its tools print them.
const STATE_NAMES: Readonly<Record<string, string>> = {
  PREPARING_REBALANCE: 'PreparingRebalance',
  COMPLETING_REBALANCE: 'CompletingRebalance',
  STABLE: 'Stable',
  DEAD: 'Dead',
  EMPTY: 'Empty',
};
const stateName = (state: string) => STATE_NAMES[state] ?? state;

export async function listGroups(kafka: KafkaConnection): Promise<GroupSummary[]> {
  return kafka.call(undefined, async () => {
    const groups = await kafka.admin.listGroups();
    return [...groups.values()]
      .map((group) => ({ id: group.id, state: stateName(group.state), protocolType: group.protocolType }))
      .sort((a, b) => a.id.localeCompare(b.id));
  });
}

export async function describeGroup(kafka: KafkaConnection, group: string): Promise<GroupDescription> {
  const subject = `group ${group}`;
  const [described, committed] = await kafka.call(subject, () =>
    Promise.all([
      kafka.admin.describeGroups({ groups: [group] }).then((groups) => groups.get(group)),
      kafka.admin.listConsumerGroupOffsets({ groups: [group] }).then((groups) => groups[0]?.topics ?? []),
    ]),
  );
  const hasOffsets = committed.some((topic) =>
    topic.partitions.some((partition) => partition.committedOffset >= 0n),
  );
  if (!described || (described.state === 'DEAD' && described.members.size === 0 && !hasOffsets))
    throw new KafkaClientError('not-found', `${subject} does not exist`, 'GROUP_ID_NOT_FOUND');

  const members: GroupMemberDescription[] = [...described.members.values()].map((member) => ({
    memberId: member.id,
    groupInstanceId: member.groupInstanceId ?? null,
    clientId: member.clientId,
    host: member.clientHost,
    assignments: [...(member.assignments?.values() ?? [])].map((assignment) => ({
      topic: assignment.topic,
      partitions: [...assignment.partitions].sort((a, b) => a - b),
    })),
  }));

  // Every partition the group has an offset for or a member assigned to.
  const rows = new Map<string, GroupPartitionOffsets>();
  const row = (topic: string, partition: number) => {
    const slot = `${topic}\0${partition}`;
    let found = rows.get(slot);
    if (!found) {
      found = { topic, partition, committedOffset: null, endOffset: 0n, lag: null, memberId: null };
      rows.set(slot, found);
    }
    return found;
  };
  for (const topic of committed)
    for (const partition of topic.partitions)
      if (partition.committedOffset >= 0n)
        row(topic.name, partition.partitionIndex).committedOffset = partition.committedOffset;
  for (const member of members)
    for (const assignment of member.assignments)
      for (const partition of assignment.partitions)
        row(assignment.topic, partition).memberId = member.memberId;

  const byTopic = new Map<string, number[]>();
  for (const entry of rows.values())
    byTopic.set(entry.topic, [...(byTopic.get(entry.topic) ?? []), entry.partition]);
  const ends = await Promise.all(
    [...byTopic].map(
      async ([topic, partitions]) => [topic, await listOffsets(kafka, topic, partitions, LATEST)] as const,
    ),
  );
  for (const [topic, offsets] of ends)
    for (const [partition, listed] of offsets) {
      const entry = row(topic, partition);
      entry.endOffset = listed.offset;
      entry.lag =
        entry.committedOffset === null ? null : maxBigint(0n, listed.offset - entry.committedOffset);
    }
  const offsets = [...rows.values()].sort(
    (a, b) => a.topic.localeCompare(b.topic) || a.partition - b.partition,
  );
  return {
    id: group,
    state: stateName(described.state),
    protocolType: described.protocolType,
    protocol: described.protocol,
    members,
    offsets,
    totalLag: offsets.reduce((sum, entry) => sum + (entry.lag ?? 0n), 0n),
  };
}

/** Computes (and with `execute`, applies) new committed offsets for one topic of an inactive group. */
export async function resetGroupOffsets(
  kafka: KafkaConnection,
  options: ResetOffsetsOptions,
): Promise<OffsetResetPlan> {
  const { group, topic, to } = options;
  const subject = `group ${group}`;
  const described = await kafka.call(subject, () =>
    kafka.admin.describeGroups({ groups: [group] }).then((groups) => groups.get(group)),
  );
  if (described && described.members.size > 0)
    throw new KafkaClientError(
      'refused',
      `group ${group} is active (${stateName(described.state)}, ${described.members.size} member(s)); ` +
        'offsets can only be reset while it has no members',
      'NON_EMPTY_GROUP',
    );
  const partitions = (await topicPartitions(kafka, topic)).partitions.map((partition) => partition.partition);
  const committed = await kafka.call(subject, () =>
    kafka.admin
      .listConsumerGroupOffsets({
        groups: [{ groupId: group, topics: [{ name: topic, partitionIndexes: partitions }] }],
      })
      .then((groups) => groups[0]?.topics.find((entry) => entry.name === topic)?.partitions ?? []),
  );
  const current = new Map(
    committed
      .filter((entry) => entry.committedOffset >= 0n)
      .map((entry) => [entry.partitionIndex, entry.committedOffset]),
  );

  let targets: Map<number, bigint>;
  if (to.kind === 'timestamp') targets = await offsetsForTimestamp(kafka, topic, partitions, to.timestamp);
  else {
    const [low, high] = await Promise.all([
      listOffsets(kafka, topic, partitions, EARLIEST),
      listOffsets(kafka, topic, partitions, LATEST),
    ]);
    targets = new Map(
      partitions.map((partition) => {
        const first = low.get(partition)?.offset ?? 0n;
        const end = high.get(partition)?.offset ?? 0n;
        if (to.kind === 'earliest') return [partition, first];
        if (to.kind === 'latest') return [partition, end];
        // An offset outside the log is moved to its nearest end, as Kafka's tool does.
        return [partition, to.offset < first ? first : to.offset > end ? end : to.offset];
      }),
    );
  }
  const plan: OffsetResetPlan = {
    group,
    executed: false,
    partitions: partitions.map((partition) => ({
      topic,
      partition,
      currentOffset: current.get(partition) ?? null,
      newOffset: targets.get(partition) ?? 0n,
    })),
  };
  if (!options.execute) return plan;
  await kafka.call(subject, () =>
    kafka.admin.alterConsumerGroupOffsets({
      groupId: group,
      topics: [
        {
          name: topic,
          partitionOffsets: plan.partitions.map((entry) => ({
            partition: entry.partition,
            offset: entry.newOffset,
          })),
        },
      ],
    }),
  );
  return { ...plan, executed: true };
}

export async function deleteGroups(kafka: KafkaConnection, groups: readonly string[]): Promise<void> {
  const subject = groups.length === 1 ? `group ${groups[0]}` : `one of the groups ${groups.join(', ')}`;
  try {
    await kafka.call(subject, () => kafka.admin.deleteGroups({ groups: [...groups] }));
  } catch (error) {
    if (error instanceof KafkaClientError && error.kafkaError === 'NON_EMPTY_GROUP')
      throw new KafkaClientError(
        'refused',
        `${subject} still has members; stop its consumers before deleting it`,
        'NON_EMPTY_GROUP',
        { cause: error },
      );
    throw error;
  }
}

/** Removes members from a group (LeaveGroup on their behalf): their partitions go to the others. */
export async function removeGroupMembers(
  kafka: KafkaConnection,
  group: string,
  memberIds: readonly string[],
): Promise<void> {
  await kafka.call(`group ${group}`, () =>
    kafka.admin.removeMembersFromConsumerGroup({
      groupId: group,
      members: memberIds.map((memberId) => ({ memberId })),
    }),
  );
}

function maxBigint(a: bigint, b: bigint): bigint {
  return a > b ? a : b;
}
