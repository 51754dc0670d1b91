// WINDOW ... RETENTION with the real engine over a real broker: a windowed table's pull queries leave out
// the windows past the retention (behind stream time), its changelog topic is compacted and deleted by
// time as Kafka Streams makes it (read back with kafkajs's DescribeConfigs), and a retention shorter than
// the size plus the grace is refused with Kafka Streams' message.
import { ConfigResourceTypes, Kafka as KafkaJs, logLevel } from 'kafkajs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ResultRow, SqlEngine } from '../../../src/sql/engine/index.js';
import { waitFor } from '../../helpers/wait.js';
import { useEngineOnBroker } from './engine-on-broker.js';

const { bootstrap, kafka, startEngine } = useEngineOnBroker();
let engine: SqlEngine;

beforeAll(async () => {
  engine = await startEngine('retention_', { 'ksql.streams.auto.offset.reset': 'earliest' });
  await engine.execute({
    sql: "CREATE STREAM s (id INT KEY, v INT) WITH (kafka_topic='ret_s', value_format='JSON', partitions=1);",
  });
}, 60_000);

function intKey(id: number): Buffer {
  const key = Buffer.alloc(4);
  key.writeInt32BE(id);
  return key;
}

async function produceAt(id: number, timestamp: number): Promise<void> {
  await kafka().produce([
    { topic: 'ret_s', key: intKey(id), value: Buffer.from('{"V":1}'), timestamp: BigInt(timestamp) },
  ]);
}

async function pull(sql: string): Promise<ResultRow['values'][]> {
  const handle = await engine.query({ sql });
  const rows: ResultRow['values'][] = [];
  for await (const row of handle.rows()) rows.push(row.values);
  return rows;
}

describe('WINDOW ... RETENTION', () => {
  it('drops windows past the retention from pull queries, and makes the changelog compact,delete', async () => {
    await engine.execute({
      sql:
        'CREATE TABLE counts AS SELECT id, COUNT(*) AS n FROM s ' +
        'WINDOW TUMBLING (SIZE 1 MINUTE, RETENTION 2 MINUTES, GRACE PERIOD 0 SECONDS) GROUP BY id;',
    });
    await produceAt(1, 0);
    await produceAt(1, 90_000);
    const both = await waitFor(
      async () => {
        const rows = await pull('SELECT id, WINDOWSTART, n FROM counts WHERE id = 1;');
        return rows.length === 2 && rows;
      },
      { what: 'both windows of key 1', timeoutMs: 60_000 },
    );
    expect(both).toEqual([
      [1, 0n, 1n],
      [1, 60_000n, 1n],
    ]);

    // Stream time 150000: the window starting at 0 is more than 2 minutes behind, past the retention.
    await produceAt(2, 150_000);
    const kept = await waitFor(
      async () => {
        const rows = await pull('SELECT id, WINDOWSTART, n FROM counts;');
        return rows.length === 2 && rows;
      },
      { what: 'the window at 0 to expire', timeoutMs: 60_000 },
    );
    expect(kept).toEqual([
      [1, 60_000n, 1n],
      [2, 120_000n, 1n],
    ]);

    const admin = new KafkaJs({ brokers: [bootstrap()], logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    try {
      const topics = await admin.listTopics();
      const changelog = topics.find(
        (t) => t.includes('CTAS_COUNTS_') && t.endsWith('-Aggregate-Aggregate-Materialize-changelog'),
      );
      expect(changelog).toBeDefined();
      const described = await admin.describeConfigs({
        includeSynonyms: false,
        resources: [
          {
            type: ConfigResourceTypes.TOPIC,
            name: changelog as string,
            configNames: ['cleanup.policy', 'retention.ms'],
          },
        ],
      });
      const entries = described.resources[0]?.configEntries ?? [];
      const config = Object.fromEntries(entries.map((e) => [e.configName, e.configValue]));
      // The retention (2 minutes) plus Kafka Streams' windowstore.changelog.additional.retention.ms (1 day).
      expect(config).toEqual({
        'cleanup.policy': 'compact,delete',
        'retention.ms': String(120_000 + 86_400_000),
      });
    } finally {
      await admin.disconnect();
    }
  }, 180_000);

  it('refuses a retention shorter than the window size plus the grace period', async () => {
    const refused = await engine
      .execute({
        sql:
          'CREATE TABLE short AS SELECT id, COUNT(*) AS n FROM s ' +
          'WINDOW TUMBLING (SIZE 1 MINUTE, RETENTION 30 SECONDS, GRACE PERIOD 10 SECONDS) GROUP BY id;',
      })
      .then(
        () => new Error('accepted'),
        (error: Error) => error,
      );
    expect(refused.message).toBe(
      'The retention period of the window store Aggregate-Aggregate-Materialize must be no smaller than ' +
        'its window size plus the grace period. Got size=[60000], grace=[10000], retention=[30000]',
    );
    const session = await engine
      .execute({
        sql:
          'CREATE TABLE short_sessions AS SELECT id, COUNT(*) AS n FROM s ' +
          'WINDOW SESSION (5 MINUTES, RETENTION 1 MINUTE) GROUP BY id;',
      })
      .then(
        () => new Error('accepted'),
        (error: Error) => error,
      );
    expect(session.message).toBe(
      'The retention period of the session store Aggregate-Aggregate-Materialize must be no smaller than ' +
        'the session inactivity gap plus the grace period. Got gap=[300000], grace=[86400000], retention=[60000]',
    );
  }, 60_000);
});
