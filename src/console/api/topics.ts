// /api/topics: the list (partitions, messages, retention, compaction), create, delete, config edit, and
// one topic's detail with each partition's offsets and the groups that read it.
import type { FastifyPluginAsync } from 'fastify';
import type { Kafka, TopicConfig, TopicDescription } from '../../client/index.js';
import { groupView } from '../../views/groups.js';
import { configsSetForTopic, displayedConfigValue, topicView } from '../../views/topics.js';
import { badRequest } from '../errors.js';
import type { ApiContext } from './context.js';
import { partitionSize, sizesOnDisk, topicSize, type SizesByTopic } from './sizes.js';
import { bodyObject, optionalInteger, requiredString, stringRecord } from './params.js';

export interface TopicRow {
  name: string;
  internal: boolean;
  partitions: number;
  replicationFactor: number;
  messages: bigint;
  /** retention.ms; -1 keeps records forever. */
  retentionMs: string | null;
  /** True when cleanup.policy includes compact. */
  compacted: boolean;
  cleanupPolicy: string | null;
  /** Bytes on disk over all partitions and replicas; null when the broker does not say (DescribeLogDirs). */
  sizeBytes: bigint | null;
}

function configValue(configs: readonly TopicConfig[], name: string): string | null {
  return configs.find((config) => config.name === name)?.value ?? null;
}

export function topicRow(described: TopicDescription, sizes: SizesByTopic | null): TopicRow {
  const view = topicView(described);
  const cleanupPolicy = configValue(described.configs, 'cleanup.policy');
  return {
    name: view.name,
    // Names starting with an underscore (_schemas, __consumer_offsets) are kept by the platform itself.
    internal: view.internal || view.name.startsWith('_'),
    partitions: view.partitions.length,
    replicationFactor: view.replicationFactor,
    messages: view.messages,
    retentionMs: configValue(described.configs, 'retention.ms'),
    compacted: (cleanupPolicy ?? '').split(',').includes('compact'),
    cleanupPolicy,
    sizeBytes: topicSize(sizes, view.name),
  };
}

/** Describes topics a few at a time: a cluster with hundreds of topics is not asked all at once. */
export async function describeAll(kafka: Kafka, names: readonly string[]): Promise<TopicDescription[]> {
  const out: TopicDescription[] = [];
  const batch = 8;
  for (let start = 0; start < names.length; start += batch) {
    const described = await Promise.allSettled(
      names.slice(start, start + batch).map((name) => kafka.topics.describe(name)),
    );
    // A topic deleted between the list and the describe is left out.
    for (const result of described) if (result.status === 'fulfilled') out.push(result.value);
  }
  return out;
}

export async function listTopicRows(kafka: Kafka, includeInternal: boolean): Promise<TopicRow[]> {
  const topics = await kafka.topics.list({ includeInternal });
  const described = await describeAll(
    kafka,
    topics.map((topic) => topic.name),
  );
  const sizes = await sizesOnDisk(
    kafka,
    described.map((topic) => topic.name),
  );
  return described
    .map((topic) => topicRow(topic, sizes))
    .filter((row) => includeInternal || !row.internal)
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** The groups with a committed offset on, or a member assigned to, the topic, with their lag on it. */
export async function groupsReading(kafka: Kafka, topic: string) {
  const groups = await kafka.groups.list();
  const described = await Promise.allSettled(groups.map((group) => kafka.groups.describe(group.id)));
  const reading = [];
  for (const result of described) {
    if (result.status !== 'fulfilled') continue;
    const view = groupView(result.value);
    const onTopic = view.lagByTopic.find((entry) => entry.topic === topic);
    const assigned = view.members.some((member) => member.assignments.some((a) => a.topic === topic));
    if (onTopic || assigned)
      reading.push({ id: view.id, state: view.state, members: view.members.length, lag: onTopic?.lag ?? 0n });
  }
  return reading.sort((a, b) => a.id.localeCompare(b.id));
}

export const topicRoutes: FastifyPluginAsync<ApiContext> = async (app, context) => {
  const { kafka } = context;

  app.get<{ Querystring: { internal?: string } }>('/api/topics', async (request) => ({
    topics: await listTopicRows(kafka, request.query.internal === 'true'),
  }));

  app.post('/api/topics', async (request, reply) => {
    const body = bodyObject(request.body);
    const name = requiredString(body.name, 'name');
    if (!/^[a-zA-Z0-9._-]{1,249}$/.test(name))
      throw badRequest(
        `topic name ${JSON.stringify(name)} is not valid`,
        'use 1 to 249 letters, digits, dots, underscores and hyphens',
      );
    const partitions = optionalInteger(body.partitions, 'partitions', 1) ?? 1;
    const replicationFactor = optionalInteger(body.replicationFactor, 'replicationFactor', 1) ?? 1;
    await kafka.topics.create({
      name,
      partitions,
      replicationFactor,
      configs: stringRecord(body.configs, 'configs'),
    });
    reply.code(201);
    return topicRow(await kafka.topics.describe(name), await sizesOnDisk(kafka, [name]));
  });

  app.get<{ Params: { name: string } }>('/api/topics/:name', async (request) => {
    const described = await kafka.topics.describe(request.params.name);
    const [groups, sizes] = await Promise.all([
      groupsReading(kafka, described.name),
      sizesOnDisk(kafka, [described.name]),
    ]);
    return {
      ...topicRow(described, sizes),
      id: described.id,
      partitionDetails: described.partitions.map((partition) => ({
        partition: partition.partition,
        leader: partition.leader,
        replicas: partition.replicas,
        isr: partition.isr,
        lowOffset: partition.lowOffset,
        highOffset: partition.highOffset,
        messages: partition.messages,
        sizeBytes: partitionSize(sizes, described.name, partition.partition),
      })),
      configs: described.configs.map((config) => ({ ...config, value: displayedConfigValue(config) })),
      configsSet: configsSetForTopic(described.configs).map((config) => config.name),
      groups,
    };
  });

  app.patch<{ Params: { name: string } }>('/api/topics/:name/configs', async (request) => {
    const body = bodyObject(request.body);
    const set = stringRecord(body.set, 'set');
    const remove = body.delete ?? [];
    if (!Array.isArray(remove) || remove.some((item) => typeof item !== 'string'))
      throw badRequest('delete must be an array of config names');
    if (Object.keys(set).length === 0 && remove.length === 0)
      throw badRequest(
        'nothing to change',
        'give configs to set ({"set": {"retention.ms": "86400000"}}) or to delete',
      );
    await kafka.topics.alterConfig(request.params.name, { set, delete: remove as string[] });
    const described = await kafka.topics.describe(request.params.name);
    const sizes = await sizesOnDisk(kafka, [described.name]);
    return {
      ...topicRow(described, sizes),
      configsSet: configsSetForTopic(described.configs).map((c) => c.name),
    };
  });

  app.delete<{ Params: { name: string } }>('/api/topics/:name', async (request) => {
    // Describing first turns a missing topic into a 404 rather than a silent success.
    await kafka.topics.describe(request.params.name);
    await kafka.topics.delete([request.params.name]);
    return { deleted: request.params.name };
  });
};
