// Consuming. Without a group Venice reads partitions directly with Fetch (no group join, so reading a
// topic leaves no trace); with a group it uses the library's group membership and commits what it
// has handed out.
import type { Consumer } from './library.js';
import type { KafkaConnection } from './connection.js';
import { KafkaClientError } from './errors.js';
import { decodeFetchedPartition } from './fetched-records.js';
import { EARLIEST, LATEST, listOffsets, offsetsForTimestamp } from './offsets.js';
import { RecordSetFetcher, type FetchedTopic } from './record-set-fetch.js';
import { topicPartitions } from './topics.js';
import type { ConsumedRecord, ConsumeOptions, RecordHeader, StartPosition } from './types.js';

const MAX_WAIT_MS = 500;
const PARTITION_MAX_BYTES = 1024 * 1024;

export function consumeRecords(
  kafka: KafkaConnection,
  options: ConsumeOptions,
): AsyncGenerator<ConsumedRecord> {
  return options.group ? consumeWithGroup(kafka, options, options.group) : consumeDirectly(kafka, options);
}

async function* consumeDirectly(
  kafka: KafkaConnection,
  options: ConsumeOptions,
): AsyncGenerator<ConsumedRecord> {
  const { topic, signal } = options;
  const { id: topicId, partitions: all } = await topicPartitions(kafka, topic);
  const chosen = choosePartitions(
    topic,
    all.map((partition) => partition.partition),
    options,
  );
  const positions = await startPositions(kafka, topic, chosen, options.from ?? { kind: 'end' });
  // The fetches read committed records only, so the end is the last stable offset: a transaction still
  // open past it would otherwise keep this waiting until it ends.
  const ends = options.stopAtEnd
    ? await listOffsets(kafka, topic, [...positions.keys()], LATEST, true)
    : undefined;
  const leaders = new Map(all.map((partition) => [partition.partition, partition.leader]));
  // The library consumer answers metadata (cached); the fetches go over the fetcher's connections.
  const consumer = kafka.newConsumer();
  const fetcher = new RecordSetFetcher(kafka);
  let remaining = options.count ?? Infinity;
  try {
    while (remaining > 0 && !signal?.aborted) {
      const wanted = [...positions].filter(
        ([partition, offset]) => !ends || offset < (ends.get(partition)?.offset ?? 0n),
      );
      if (wanted.length === 0) return;
      const byLeader = new Map<number, [number, bigint][]>();
      for (const entry of wanted) {
        const leader = leaders.get(entry[0]) ?? -1;
        byLeader.set(leader, [...(byLeader.get(leader) ?? []), entry]);
      }
      for (const [leader, entries] of byLeader) {
        const records = await fetchOnce(kafka, consumer, fetcher, topic, topicId, leader, entries, positions);
        for (const record of records) {
          if (ends && record.offset >= (ends.get(record.partition)?.offset ?? 0n)) continue;
          yield record;
          if (--remaining <= 0) return;
        }
      }
    }
  } finally {
    await fetcher.close();
    await kafka.closeConsumer(consumer);
  }
}

/** One Fetch from one leader; advances `positions` past what it returns. */
async function fetchOnce(
  kafka: KafkaConnection,
  consumer: Consumer,
  fetcher: RecordSetFetcher,
  topic: string,
  topicId: string,
  leader: number,
  entries: readonly [number, bigint][],
  positions: Map<number, bigint>,
): Promise<ConsumedRecord[]> {
  let response: FetchedTopic[];
  try {
    const metadata = await consumer.metadata({ topics: [topic] });
    const broker = metadata.brokers.get(leader);
    if (!broker)
      throw new KafkaClientError(
        'unreachable',
        `no broker ${leader} (leader for topic ${topic}) in the cluster metadata`,
      );
    response = await fetcher.fetch(broker, MAX_WAIT_MS, [
      {
        topic,
        partitions: entries.map(([partition, fetchOffset]) => ({
          partition,
          fetchOffset,
          maxBytes: PARTITION_MAX_BYTES,
        })),
      },
    ]);
  } catch (error) {
    const failure = kafka.translate(error, `topic ${topic}`);
    if (failure.kafkaError === 'OFFSET_OUT_OF_RANGE') {
      // The fetch asks by name, so a topic deleted and created again answers like one whose records
      // retention removed: tell them apart by the topic id, since a reader must not silently restart
      // on a different log (the registry, for one, would lose its state).
      const { id } = await topicPartitions(kafka, topic);
      if (id !== topicId)
        throw new KafkaClientError(
          'not-found',
          `topic ${topic} was deleted and created again while it was read (topic id ${topicId}, now ${id})`,
        );
      // Retention removed what we were about to read: carry on from the new start, as a consumer would.
      const [low, high] = await Promise.all([
        listOffsets(kafka, topic, [...positions.keys()], EARLIEST),
        listOffsets(kafka, topic, [...positions.keys()], LATEST),
      ]);
      for (const [partition, offset] of positions)
        positions.set(
          partition,
          clamp(offset, low.get(partition)?.offset ?? 0n, high.get(partition)?.offset ?? 0n),
        );
      return [];
    }
    throw failure;
  }
  const records: ConsumedRecord[] = [];
  for (const topicResponse of response) {
    for (const partitionResponse of topicResponse.partitions) {
      const partition = partitionResponse.partition;
      const fetched = decodeFetchedPartition(topic, partitionResponse, positions.get(partition) ?? 0n);
      for (const record of fetched.records) records.push(record);
      positions.set(partition, fetched.next);
    }
  }
  return records;
}

function choosePartitions(topic: string, all: number[], options: ConsumeOptions): number[] {
  if (options.from?.kind === 'positions') {
    const listed = [...options.from.offsets.keys()];
    for (const partition of listed) assertPartition(topic, all, partition);
    return listed;
  }
  if (!options.partitions) return all;
  for (const partition of options.partitions) assertPartition(topic, all, partition);
  return [...options.partitions];
}

function assertPartition(topic: string, all: readonly number[], partition: number): void {
  if (!all.includes(partition))
    throw new KafkaClientError(
      'not-found',
      `topic ${topic} has no partition ${partition} (it has ${all.length})`,
    );
}

/** Where to start reading each partition, clamped to what the log holds. */
async function startPositions(
  kafka: KafkaConnection,
  topic: string,
  partitions: readonly number[],
  from: StartPosition,
): Promise<Map<number, bigint>> {
  if (from.kind === 'timestamp') return offsetsForTimestamp(kafka, topic, partitions, from.timestamp);
  const [low, high] = await Promise.all([
    listOffsets(kafka, topic, partitions, EARLIEST),
    listOffsets(kafka, topic, partitions, LATEST),
  ]);
  return new Map(
    partitions.map((partition) => {
      const first = low.get(partition)?.offset ?? 0n;
      const end = high.get(partition)?.offset ?? 0n;
      switch (from.kind) {
        case 'beginning':
          return [partition, first];
        case 'end':
          return [partition, end];
        case 'offset':
          return [partition, clamp(from.offset, first, end)];
        case 'tail':
          return [partition, clamp(end - BigInt(from.count), first, end)];
        case 'positions':
          return [partition, clamp(from.offsets.get(partition) ?? end, first, end)];
      }
    }),
  );
}

function clamp(value: bigint, low: bigint, high: bigint): bigint {
  return value < low ? low : value > high ? high : value;
}

async function* consumeWithGroup(
  kafka: KafkaConnection,
  options: ConsumeOptions,
  group: string,
): AsyncGenerator<ConsumedRecord> {
  const { topic, signal } = options;
  const from = options.from ?? { kind: 'end' };
  if (from.kind !== 'beginning' && from.kind !== 'end')
    throw new KafkaClientError(
      'invalid',
      'a group starts from its committed offsets; choose beginning or end for partitions it has none for',
    );
  if (options.partitions)
    throw new KafkaClientError('invalid', 'a group is assigned its partitions; do not choose them');
  const { partitions } = await topicPartitions(kafka, topic);
  const ends = options.stopAtEnd
    ? await listOffsets(
        kafka,
        topic,
        partitions.map((partition) => partition.partition),
        LATEST,
      )
    : undefined;

  const consumer = kafka.newConsumer(group);
  const queue: ConsumedRecord[] = [];
  let failure: unknown;
  let wake: (() => void) | undefined;
  const notify = () => wake?.();
  const stream = await kafka.call(`topic ${topic}`, () =>
    consumer.consume({
      topics: [topic],
      mode: 'committed',
      fallbackMode: from.kind === 'beginning' ? 'earliest' : 'latest',
      autocommit: false,
      maxWaitTime: MAX_WAIT_MS,
    }),
  );
  stream.on('data', (message) => {
    queue.push({
      topic: message.topic,
      partition: message.partition,
      offset: message.offset,
      timestamp: message.timestamp,
      key: message.key ?? null,
      value: message.value ?? null,
      headers: [...message.headers].map(([key, value]): RecordHeader => ({
        key: key.toString(),
        value: value ?? null,
      })),
    });
    // Hold the stream back while the caller is slower than the broker.
    if (queue.length > 1000) stream.pause();
    notify();
  });
  stream.on('error', (error) => {
    failure = error;
    notify();
  });
  signal?.addEventListener('abort', notify, { once: true });

  const toCommit = new Map<number, bigint>();
  let lastCommit = Date.now();
  const commit = async () => {
    if (toCommit.size === 0) return;
    const offsets = [...toCommit].map(([partition, offset]) => ({
      topic,
      partition,
      offset,
      leaderEpoch: -1,
    }));
    toCommit.clear();
    lastCommit = Date.now();
    await kafka.call(`group ${group}`, () => consumer.commit({ offsets }));
  };
  const caughtUp = () => {
    if (!ends || queue.length > 0) return false;
    const assigned = consumer.assignments?.find((assignment) => assignment.topic === topic)?.partitions;
    if (!assigned) return false;
    return assigned.every(
      (partition) =>
        (stream.offsetsToFetch.get(`${topic}:${partition}`) ?? -1n) >= (ends.get(partition)?.offset ?? 0n),
    );
  };

  let remaining = options.count ?? Infinity;
  try {
    while (remaining > 0 && !signal?.aborted) {
      if (failure) throw failure;
      const record = queue.shift();
      if (!record) {
        if (caughtUp()) return;
        await new Promise<void>((resolve) => {
          wake = resolve;
          setTimeout(resolve, 200);
        });
        wake = undefined;
        if (Date.now() - lastCommit > 1000) await commit();
        continue;
      }
      if (queue.length < 100) stream.resume();
      if (ends && record.offset >= (ends.get(record.partition)?.offset ?? 0n)) continue;
      toCommit.set(record.partition, record.offset + 1n);
      yield record;
      remaining--;
      if (Date.now() - lastCommit > 1000) await commit();
    }
  } catch (error) {
    throw kafka.translate(error, `group ${group}`);
  } finally {
    signal?.removeEventListener('abort', notify);
    await commit().catch(() => undefined);
    await stream.close().catch(() => undefined);
    await kafka.closeConsumer(consumer);
  }
}
