// The command topic: a new engine on the same broker and service id rebuilds the catalog from it and
// restarts the persistent queries, which go on from where they were.
import { describe, expect, it } from 'vitest';
import { commandTopicName } from '../../../src/sql/engine/index.js';
import { waitFor } from '../../helpers/wait.js';
import { statusOf, useEngineOnBroker } from './engine-on-broker.js';

const { kafka, startEngine, valuesIn } = useEngineOnBroker();

describe('command topic', () => {
  it('records each command with its properties, numbered by offset', async () => {
    const engine = await startEngine('log_');
    const first = await statusOf(
      engine,
      "CREATE STREAM a (id INT KEY, v STRING) WITH (kafka_topic='log_a', value_format='JSON', partitions=1);",
    );
    expect(first.commandSequenceNumber).toBe(0);
    await engine.execute({
      sql: "SET 'ksql.streams.auto.offset.reset'='earliest'; CREATE TYPE T AS STRUCT<x INT>;",
    });
    const [record] = (await consumeCommands('log_')).slice(-1);
    expect(record).toEqual({
      key: 'type/T/create',
      value: {
        statement: 'CREATE TYPE T AS STRUCT<x INT>;',
        streamsProperties: { 'ksql.streams.auto.offset.reset': 'earliest' },
        version: 1,
      },
    });
    const topic = await kafka().topics.describe(commandTopicName('log_'));
    expect(topic.partitions).toHaveLength(1);
    expect(topic.configs.find((c) => c.name === 'retention.ms')?.value).toBe('-1');
  });

  it('rebuilds sources, types and drops on a new engine, and numbers on', async () => {
    const before = await startEngine('replay_');
    await before.execute({
      sql: `
        CREATE STREAM keep (id INT KEY, v STRING) WITH (kafka_topic='replay_keep', value_format='JSON', partitions=2);
        CREATE STREAM gone (v STRING) WITH (kafka_topic='replay_gone', value_format='JSON', partitions=1);
        DROP STREAM gone;
        CREATE TYPE POINT AS STRUCT<x INT, y INT>;
        ALTER STREAM keep ADD COLUMN p POINT;
        CREATE TABLE t (id INT PRIMARY KEY, n BIGINT) WITH (kafka_topic='replay_t', format='JSON', partitions=1);
      `,
    });
    await before.stop();

    const after = await startEngine('replay_');
    const [streams] = await after.execute({ sql: 'SHOW STREAMS; ' });
    expect(streams).toMatchObject({ streams: [{ name: 'KEEP', topic: 'replay_keep' }] });
    const [described] = await after.execute({ sql: 'DESCRIBE keep;' });
    expect(described).toMatchObject({
      sourceDescription: {
        fields: [{ name: 'ID', type: 'KEY' }, { name: 'V' }, { name: 'P', schema: { type: 'STRUCT' } }],
        statement: 'ALTER STREAM keep ADD COLUMN p POINT;',
      },
    });
    const [tables] = await after.execute({ sql: 'SHOW TABLES;' });
    expect(tables).toMatchObject({ tables: [{ name: 'T' }] });
    const [types] = await after.execute({ sql: 'SHOW TYPES;' });
    expect(Object.keys((types as unknown as { types: object }).types)).toEqual(['POINT']);
    const next = await statusOf(after, 'DROP TABLE t;');
    expect(next.commandSequenceNumber).toBe(6);
  });

  it('restarts a CREATE STREAM AS SELECT, which goes on from its committed offsets', async () => {
    const before = await startEngine('csas_');
    await before.execute({
      sql: "CREATE STREAM src (id INT KEY, v STRING) WITH (kafka_topic='csas_src', value_format='JSON', partitions=1);",
    });
    const created = await statusOf(
      before,
      "CREATE STREAM out WITH (kafka_topic='csas_out') AS SELECT id, UCASE(v) AS v FROM src EMIT CHANGES;",
    );
    expect(created).toMatchObject({
      commandId: 'stream/`OUT`/create',
      commandSequenceNumber: 1,
      commandStatus: {
        status: 'SUCCESS',
        message: 'Created query with ID CSAS_OUT_1',
        queryId: 'CSAS_OUT_1',
      },
    });
    const produce = (id: number, v: string) =>
      kafka().produce([{ topic: 'csas_src', key: intKey(id), value: Buffer.from(JSON.stringify({ V: v })) }]);
    await produce(1, 'a');
    await produce(2, 'b');
    await waitFor(async () => (await valuesIn('csas_out')).length === 2, {
      what: 'the first two rows in csas_out',
      timeoutMs: 60_000,
    });
    await before.stop();

    await produce(3, 'c');
    const after = await startEngine('csas_');
    const [queries] = await after.execute({ sql: 'SHOW QUERIES;' });
    expect(queries).toMatchObject({
      queries: [{ id: 'CSAS_OUT_1', sinks: ['OUT'], sinkKafkaTopics: ['csas_out'], queryType: 'PERSISTENT' }],
    });
    await produce(4, 'd');
    await waitFor(async () => (await valuesIn('csas_out')).length >= 4, {
      what: 'rows 3 and 4 in csas_out after the restart',
      timeoutMs: 60_000,
    });
    expect(await valuesIn('csas_out')).toEqual(['{"V":"A"}', '{"V":"B"}', '{"V":"C"}', '{"V":"D"}']);
    const [explained] = await after.execute({ sql: 'EXPLAIN CSAS_OUT_1;' });
    expect(explained).toMatchObject({
      '@type': 'queryDescription',
      queryDescription: { id: 'CSAS_OUT_1', sources: ['SRC'], sinks: ['OUT'], queryType: 'PERSISTENT' },
    });

    const refused = await after.execute({ sql: 'DROP STREAM src;' }).catch((error: Error) => error);
    expect((refused as Error).message).toBe(
      'Cannot drop SRC.\nThe following streams and/or tables read from this source: [OUT].\n' +
        'You need to drop them before dropping SRC.',
    );
    const terminated = await statusOf(after, 'TERMINATE CSAS_OUT_1;');
    expect(terminated).toMatchObject({
      commandId: 'terminate/CSAS_OUT_1/execute',
      commandStatus: { message: 'Query terminated.' },
    });
    const [none] = await after.execute({ sql: 'SHOW QUERIES;' });
    expect(none).toMatchObject({ queries: [] });
  }, 180_000);
});

function intKey(id: number): Buffer {
  const key = Buffer.alloc(4);
  key.writeInt32BE(id);
  return key;
}

async function consumeCommands(serviceId: string): Promise<{ key: string; value: unknown }[]> {
  const commands: { key: string; value: unknown }[] = [];
  for await (const record of kafka().consume({
    topic: commandTopicName(serviceId),
    from: { kind: 'beginning' },
    stopAtEnd: true,
  })) {
    commands.push({
      key: record.key?.toString() ?? '',
      value: JSON.parse(record.value?.toString() ?? 'null'),
    });
  }
  return commands;
}
