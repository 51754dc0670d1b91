// GET/PATCH/DELETE /connectors/{name}/offsets (KIP-875). A sink's offsets are its consumer group's
// (connect-<name>): partition {kafka_topic, kafka_partition}, offset {kafka_offset}. A source's are
// its entries in connect-offsets, partition and offset as the connector wrote them.
import type { Kafka, TopicPartitionOffset } from '../../client/index.js';
import type { JsonObject } from '../api/data.js';
import { ConnectRestError } from '../api/errors.js';
import type { ConnectorOffsets } from '../api/herder.js';
import { sinkGroupId } from '../defaults.js';
import type { SourceOffsetEntry } from './offset-store.js';

export interface SinkOffsetChange {
  readonly topic: string;
  readonly partition: number;
  /** null: forget the partition's offset (the sink then starts it from the beginning). */
  readonly offset: bigint | null;
}

/** How long altering waits for the stopped connector's consumers to leave its group. */
const GROUP_EMPTY_WAIT_MS = 15_000;

export async function sinkOffsets(kafka: Kafka, connector: string): Promise<ConnectorOffsets> {
  try {
    const group = await kafka.groups.describe(sinkGroupId(connector));
    return {
      offsets: group.offsets
        .filter((entry) => entry.committedOffset !== null)
        .map((entry) => ({
          partition: { kafka_topic: entry.topic, kafka_partition: entry.partition },
          offset: { kafka_offset: Number(entry.committedOffset) },
        })),
    };
  } catch (error) {
    if ((error as { kind?: string }).kind === 'not-found') return { offsets: [] };
    throw error;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function entriesOf(body: ConnectorOffsets): ConnectorOffsets['offsets'] {
  if (!isObject(body) || !Array.isArray(body.offsets) || body.offsets.length === 0)
    throw new ConnectRestError(
      400,
      'the body must be {"offsets": [{"partition": {...}, "offset": {...} or null}, ...]} with at least one entry',
    );
  return body.offsets;
}

export function parseSinkOffsets(body: ConnectorOffsets): SinkOffsetChange[] {
  return entriesOf(body).map((entry, index) => {
    const partition = isObject(entry) ? entry.partition : undefined;
    if (
      !isObject(partition) ||
      typeof partition.kafka_topic !== 'string' ||
      !Number.isInteger(partition.kafka_partition)
    )
      throw new ConnectRestError(
        400,
        `offsets[${index}].partition must be {"kafka_topic": "<topic>", "kafka_partition": <number>}`,
      );
    const offset = entry.offset;
    if (offset === null)
      return { topic: partition.kafka_topic, partition: partition.kafka_partition as number, offset: null };
    const value = isObject(offset) ? offset.kafka_offset : undefined;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 0)
      throw new ConnectRestError(
        400,
        `offsets[${index}].offset must be {"kafka_offset": <a whole number, 0 or more>} or null`,
      );
    return {
      topic: partition.kafka_topic,
      partition: partition.kafka_partition as number,
      offset: BigInt(value),
    };
  });
}

export function parseSourceOffsets(body: ConnectorOffsets): SourceOffsetEntry[] {
  return entriesOf(body).map((entry, index) => {
    if (!isObject(entry) || !isObject(entry.partition))
      throw new ConnectRestError(
        400,
        `offsets[${index}].partition must be a JSON object (the source partition)`,
      );
    if (entry.offset !== null && !isObject(entry.offset))
      throw new ConnectRestError(
        400,
        `offsets[${index}].offset must be a JSON object (the source offset) or null`,
      );
    return { partition: entry.partition as JsonObject, offset: entry.offset as JsonObject | null };
  });
}

async function waitForEmptyGroup(kafka: Kafka, group: string): Promise<void> {
  const deadline = Date.now() + GROUP_EMPTY_WAIT_MS;
  for (;;) {
    try {
      const described = await kafka.groups.describe(group);
      if (described.members.length === 0) return;
    } catch (error) {
      if ((error as { kind?: string }).kind === 'not-found') return;
      throw error;
    }
    if (Date.now() > deadline)
      throw new ConnectRestError(
        409,
        `the consumer group ${group} still has members: wait for the stopped connector's tasks to leave, then retry`,
      );
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** Commits the given offsets for the stopped sink's group, joining it briefly as its only member. */
export async function alterSinkOffsets(
  kafka: Kafka,
  connector: string,
  changes: readonly SinkOffsetChange[],
): Promise<void> {
  const group = sinkGroupId(connector);
  await waitForEmptyGroup(kafka, group);
  const offsets: TopicPartitionOffset[] = [];
  for (const change of changes) {
    let offset = change.offset;
    if (offset === null) {
      // No offset means "from the beginning" for a sink (its consumers fall back to earliest).
      const described = await kafka.topics.describe(change.topic);
      offset = described.partitions.find((entry) => entry.partition === change.partition)?.lowOffset ?? 0n;
    }
    offsets.push({ topic: change.topic, partition: change.partition, offset });
  }
  const consumer = kafka.consumer({ group, topics: [...new Set(changes.map((change) => change.topic))] });
  try {
    await consumer.start();
    await consumer.commit(offsets);
  } finally {
    await consumer.close();
  }
}

export async function resetSinkOffsets(kafka: Kafka, connector: string): Promise<void> {
  const group = sinkGroupId(connector);
  await waitForEmptyGroup(kafka, group);
  try {
    await kafka.groups.delete([group]);
  } catch (error) {
    if ((error as { kind?: string }).kind !== 'not-found') throw error;
  }
}
