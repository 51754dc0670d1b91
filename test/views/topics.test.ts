// Topic views over hand-made client results: totals, the configs someone set, the most recent records.
import { describe, expect, it } from 'vitest';
import type { ConsumedRecord, TopicDescription } from '../../src/client/index.js';
import { configsSetForTopic, latestByTime, topicView } from '../../src/views/topics.js';

const partition = (index: number, low: bigint, high: bigint) => ({
  partition: index,
  leader: 1,
  replicas: [1],
  isr: [1],
  lowOffset: low,
  highOffset: high,
  messages: high - low,
});

const described: TopicDescription = {
  name: 'orders',
  id: 'id',
  internal: false,
  replicationFactor: 1,
  partitions: [partition(0, 0n, 5n), partition(1, 2n, 9n)],
  configs: [
    { name: 'retention.ms', value: '1000', source: 'topic', readOnly: false, sensitive: false },
    { name: 'cleanup.policy', value: 'delete', source: 'default', readOnly: false, sensitive: false },
  ],
};

const record = (partition: number, timestamp: bigint): ConsumedRecord => ({
  topic: 'orders',
  partition,
  offset: 0n,
  timestamp,
  key: null,
  value: null,
  headers: [],
});

describe('topic views', () => {
  it('totals the messages of every partition', () => {
    expect(topicView(described).messages).toBe(12n);
  });

  it('keeps the configs that were set, not the defaults', () => {
    expect(configsSetForTopic(described.configs).map((config) => config.name)).toEqual(['retention.ms']);
  });

  it('keeps the last n records by time, oldest first, ties by partition', () => {
    const records = [record(1, 30n), record(0, 10n), record(0, 30n), record(1, 20n)];
    expect(latestByTime(records, 3).map((entry) => [entry.partition, entry.timestamp])).toEqual([
      [1, 20n],
      [0, 30n],
      [1, 30n],
    ]);
    expect(latestByTime(records, 0)).toEqual([]);
  });
});
