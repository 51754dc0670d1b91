// Statements over /ksql with the real engine, broker and registry, each as ksqlDB answers it: TERMINATE
// ALL, UNSET, the processing log of an expression that fails, DESCRIBE FUNCTION and SHOW FUNCTIONS, a
// push query sent to /ksql (40002), and the compaction of an aggregation's changelog topic.
import { ConfigResourceTypes, Kafka as KafkaJs, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Kafka } from '../../../src/client/index.js';
import { post } from './http.js';
import { startRealSql, uniqueName, type RealSqlSetup } from './real-engine.js';

/** Polls until `check` passes (no timing asserts: the test's own timeout is the limit). */
async function eventually<T>(read: () => Promise<T>, check: (value: T) => boolean): Promise<T> {
  for (;;) {
    const value = await read();
    if (check(value)) return value;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

type Entity = Record<string, unknown>;

describe('statements over /ksql with the real engine', () => {
  let setup: RealSqlSetup;
  let url: string;
  let kafka: Kafka;

  const send = (statements: string, streamsProperties: Record<string, string> = {}) =>
    post(url, '/ksql', { ksql: statements, streamsProperties });
  const ksql = async (statements: string, streamsProperties: Record<string, string> = {}) => {
    const answer = await send(statements, streamsProperties);
    expect(answer.status, answer.text).toBe(200);
    return JSON.parse(answer.text) as Entity[];
  };
  const createStream = (name: string, columns: string) =>
    ksql(
      `CREATE STREAM ${name} (${columns}) WITH (KAFKA_TOPIC='${name.toLowerCase()}', ` +
        `VALUE_FORMAT='JSON', PARTITIONS=1);`,
    );
  const topicCount = async (topic: string) => {
    let count = 0;
    for await (const record of kafka.consume({ topic, from: { kind: 'beginning' }, stopAtEnd: true }))
      if (record.value !== null) count += 1;
    return count;
  };
  const runningQueries = async () => {
    const [listed] = await ksql('SHOW QUERIES;');
    return (listed as { queries: { id: string }[] }).queries.map((query) => query.id);
  };
  const property = (entity: Entity, name: string) =>
    (entity.properties as { name: string; value: string }[]).find((p) => p.name === name)?.value;

  beforeAll(async () => {
    // Queries start at the end unless asked otherwise, as in ksqlDB, so that SET and UNSET are seen.
    setup = await startRealSql({
      'ksql.streams.auto.offset.reset': 'latest',
      'ksql.logging.processing.rows.include': 'true',
    });
    url = setup.sql.url;
    kafka = setup.kafka;
  }, 60_000);

  afterAll(async () => {
    await setup?.stop();
  });

  it('TERMINATE ALL stops every persistent query: SHOW QUERIES is empty and the sinks stop growing', async () => {
    const source = uniqueName('term_src');
    await createStream(source, 'ID STRING KEY, V INT');
    const sinks = [uniqueName('term_a'), uniqueName('term_b'), uniqueName('term_c')];
    for (const sink of sinks)
      await ksql(`CREATE STREAM ${sink} AS SELECT * FROM ${source};`, { 'auto.offset.reset': 'earliest' });
    expect(await runningQueries()).toHaveLength(3);
    await ksql(`INSERT INTO ${source} (ID, V) VALUES ('a', 1);`);
    for (const sink of sinks)
      await eventually(
        () => topicCount(sink),
        (count) => count === 1,
      );

    const [terminated] = await ksql('TERMINATE ALL;');
    expect(terminated).toEqual({
      '@type': 'currentStatus',
      statementText: 'TERMINATE ALL;',
      commandId: expect.any(String),
      commandStatus: { status: 'SUCCESS', message: 'Query terminated.', queryId: null },
      commandSequenceNumber: expect.any(Number),
      warnings: [],
    });
    expect(await runningQueries()).toEqual([]);

    // A record written after TERMINATE ALL, then a marker query that sees it: the stopped ones did not.
    await ksql(`INSERT INTO ${source} (ID, V) VALUES ('b', 2);`);
    const marker = uniqueName('term_marker');
    await ksql(`CREATE STREAM ${marker} AS SELECT * FROM ${source};`, { 'auto.offset.reset': 'earliest' });
    await eventually(
      () => topicCount(marker),
      (count) => count === 2,
    );
    await new Promise((resolve) => setTimeout(resolve, 1000));
    for (const sink of sinks) expect(await topicCount(sink), sink).toBe(1);
    // The sinks stay, as in ksqlDB.
    const [streams] = await ksql('SHOW STREAMS;');
    const names = (streams as { streams: { name: string }[] }).streams.map((stream) => stream.name);
    expect(names).toEqual(expect.arrayContaining(sinks));
    await ksql('TERMINATE ALL;');
  }, 120_000);

  describe('UNSET', () => {
    it('UNSET after SET puts the server value back in SHOW PROPERTIES', async () => {
      const [shown] = await ksql(
        "SET 'auto.offset.reset'='earliest'; UNSET 'auto.offset.reset'; SHOW PROPERTIES;",
      );
      expect(property(shown, 'ksql.streams.auto.offset.reset')).toBe('latest');
      expect(shown.overwrittenProperties).toEqual([]);

      const [set] = await ksql("SET 'auto.offset.reset'='earliest'; SHOW PROPERTIES;");
      expect(property(set, 'ksql.streams.auto.offset.reset')).toBe('earliest');
    });

    it('UNSET takes away a request streamsProperty, by its short or its prefixed name', async () => {
      for (const [given, unset] of [
        ['auto.offset.reset', 'auto.offset.reset'],
        ['auto.offset.reset', 'ksql.streams.auto.offset.reset'],
        ['ksql.streams.auto.offset.reset', 'auto.offset.reset'],
      ]) {
        const [shown] = await ksql(`UNSET '${unset}'; SHOW PROPERTIES;`, { [given]: 'earliest' });
        expect(property(shown, 'ksql.streams.auto.offset.reset'), `${given} / ${unset}`).toBe('latest');
        expect(shown.overwrittenProperties, `${given} / ${unset}`).toEqual([]);
      }
    });

    it('a query started after SET then UNSET reads from the end (the server default)', async () => {
      const source = uniqueName('unset_src');
      const sink = uniqueName('unset_out');
      await createStream(source, 'ID STRING KEY, V INT');
      await ksql(`INSERT INTO ${source} (ID, V) VALUES ('before', 1);`);
      await ksql(
        `SET 'auto.offset.reset'='earliest'; UNSET 'auto.offset.reset'; CREATE STREAM ${sink} AS SELECT * FROM ${source};`,
      );
      // The query may need a moment to join at the end; rows keep coming until one arrives.
      const keys = await eventually(
        async () => {
          await ksql(`INSERT INTO ${source} (ID, V) VALUES ('after', 2);`);
          const found: string[] = [];
          for await (const record of kafka.consume({
            topic: sink,
            from: { kind: 'beginning' },
            stopAtEnd: true,
          }))
            found.push(record.key?.toString('utf8') ?? '');
          return found;
        },
        (found) => found.length > 0,
      );
      expect(keys).not.toContain('before');
      await ksql('TERMINATE ALL;');
    }, 60_000);
  });

  it('an expression that fails for one record is in the processing log; the query goes on', async () => {
    const source = uniqueName('evalfail');
    const sink = uniqueName('evalfail_out');
    await createStream(source, 'ID STRING KEY, S STRING');
    await ksql(
      `INSERT INTO ${source} (ID, S) VALUES ('bad', 'not a number'); INSERT INTO ${source} (ID, S) VALUES ('good', '42');`,
    );
    const [created] = await ksql(`CREATE STREAM ${sink} AS SELECT ID, CAST(S AS INT) AS N FROM ${source};`, {
      'auto.offset.reset': 'earliest',
    });
    const queryId = (created as { commandStatus: { queryId: string } }).commandStatus.queryId;

    // Both rows come out: the failing one with N null, as ksqlDB's generated code makes it.
    const rows: unknown[][] = [];
    await eventually(
      async () => {
        rows.length = 0;
        for await (const record of kafka.consume({
          topic: sink,
          from: { kind: 'beginning' },
          stopAtEnd: true,
        }))
          rows.push([record.key?.toString('utf8'), JSON.parse(record.value!.toString('utf8'))]);
        return rows.length;
      },
      (count) => count >= 2,
    );
    expect(rows).toEqual([
      ['bad', { N: null }],
      ['good', { N: 42 }],
    ]);

    const entries = await eventually(
      async () => {
        const found: Record<string, unknown>[] = [];
        for await (const record of kafka.consume({
          topic: 'default_ksql_processing_log',
          from: { kind: 'beginning' },
          stopAtEnd: true,
        }))
          found.push(JSON.parse(record.value!.toString('utf8')) as Record<string, unknown>);
        return found.filter((entry) => String(entry.logger).startsWith(`processing.${queryId}.`));
      },
      (found) => found.length > 0,
    );
    expect(entries).toHaveLength(1);
    expect(entries[0]).toEqual({
      level: 'ERROR',
      logger: `processing.${queryId}.Project`,
      time: expect.any(Number),
      message: {
        type: 1,
        deserializationError: null,
        recordProcessingError: {
          errorMessage: expect.stringMatching(/^Error computing expression CAST\(S AS INTEGER\)/),
          record: expect.stringContaining('not a number'),
          cause: [expect.stringContaining('not a number')],
        },
        productionError: null,
        serializationError: null,
        kafkaStreamsThreadError: null,
      },
    });
    await ksql(`TERMINATE ${queryId};`);
  }, 60_000);

  it('SHOW FUNCTIONS answers function_names; DESCRIBE FUNCTION answers describe_function', async () => {
    const [names] = await ksql('SHOW FUNCTIONS;');
    expect(names).toMatchObject({
      '@type': 'function_names',
      statementText: 'SHOW FUNCTIONS;',
      warnings: [],
    });
    const functions = names.functions as { name: string; type: string; category: string }[];
    expect(functions).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ name: 'UCASE', type: 'SCALAR' }),
        expect.objectContaining({ name: 'EXPLODE', type: 'TABLE' }),
        expect.objectContaining({ name: 'COUNT', type: 'AGGREGATE' }),
      ]),
    );
    const sorted = functions.map((fn) => fn.name);
    expect(sorted).toEqual([...sorted].sort());

    const [described] = await ksql('DESCRIBE FUNCTION ucase;');
    expect(described).toMatchObject({
      '@type': 'describe_function',
      statementText: 'DESCRIBE FUNCTION ucase;',
      name: 'UCASE',
      type: 'SCALAR',
      author: 'Confluent',
      path: 'internal',
      description: expect.any(String),
      functions: [
        {
          arguments: [{ name: expect.any(String), type: 'VARCHAR', description: expect.any(String) }],
          returnType: 'VARCHAR',
          argumentTypes: ['VARCHAR'],
        },
      ],
    });
    // A variadic parameter is its element type with isVariadic, as ksqlDB's ArgumentInfo.
    const [concat] = await ksql('DESCRIBE FUNCTION CONCAT;');
    const variations = concat.functions as { arguments: { type: string; isVariadic: boolean }[] }[];
    expect(variations).toContainEqual(
      expect.objectContaining({
        arguments: [expect.objectContaining({ type: 'VARCHAR', isVariadic: true })],
        returnType: 'VARCHAR',
      }),
    );
    const [aggregate] = await ksql('DESCRIBE FUNCTION SUM;');
    expect(aggregate).toMatchObject({ '@type': 'describe_function', name: 'SUM', type: 'AGGREGATE' });
    expect(aggregate.functions).toContainEqual(
      expect.objectContaining({ argumentTypes: ['INT'], returnType: 'INT' }),
    );
    const [table] = await ksql('DESCRIBE FUNCTION EXPLODE;');
    expect(table).toMatchObject({ '@type': 'describe_function', name: 'EXPLODE', type: 'TABLE' });

    const unknown = await send('DESCRIBE FUNCTION NO_SUCH_FN;');
    expect(unknown.status).toBe(400);
    expect(JSON.parse(unknown.text)).toMatchObject({
      '@type': 'statement_error',
      error_code: 40001,
      message: "Can't find any functions with the name 'NO_SUCH_FN'",
    });
  });

  it('a push query sent to /ksql is a 400 with error_code 40002 in the body', async () => {
    const source = uniqueName('pushed');
    await createStream(source, 'ID STRING KEY, V INT');
    const statement = `SELECT * FROM ${source} EMIT CHANGES;`;
    const answer = await send(statement);
    expect(answer.status).toBe(400);
    expect(answer.contentType).toMatch(/json/);
    expect(JSON.parse(answer.text)).toEqual({
      '@type': 'statement_error',
      error_code: 40002,
      message:
        "The following statement types should be issued to the websocket endpoint '/query':\n\t* PRINT\n\t* SELECT",
      statementText: statement,
      entities: [],
    });
  });

  it("an aggregation's changelog topic is compacted (DescribeConfigs through kafkajs)", async () => {
    const source = uniqueName('agg_src');
    const table = uniqueName('agg_counts');
    await createStream(source, 'ID STRING KEY, V INT');
    const [created] = await ksql(
      `CREATE TABLE ${table} AS SELECT ID, COUNT(*) AS N FROM ${source} GROUP BY ID;`,
    );
    const queryId = (created as { commandStatus: { queryId: string } }).commandStatus.queryId;
    const windowed = uniqueName('agg_windowed');
    const [createdWindowed] = await ksql(
      `CREATE TABLE ${windowed} AS SELECT ID, COUNT(*) AS N FROM ${source} WINDOW TUMBLING (SIZE 1 MINUTE) GROUP BY ID;`,
    );
    const windowedId = (createdWindowed as { commandStatus: { queryId: string } }).commandStatus.queryId;
    await ksql(`INSERT INTO ${source} (ID, V) VALUES ('a', 1);`);

    const client = new KafkaJs({
      brokers: [setup.bootstrap],
      clientId: 'changelog-test',
      logLevel: logLevel.NOTHING,
    });
    const admin = client.admin();
    await admin.connect();
    try {
      const changelogOf = async (id: string) =>
        eventually(
          async () => (await admin.listTopics()).filter((t) => t.includes(id) && t.endsWith('-changelog')),
          (found) => found.length > 0,
        );
      const cleanupPolicy = async (topic: string) => {
        const described = await admin.describeConfigs({
          resources: [{ type: ConfigResourceTypes.TOPIC, name: topic, configNames: ['cleanup.policy'] }],
          includeSynonyms: false,
        });
        return described.resources[0]?.configEntries.find((entry) => entry.configName === 'cleanup.policy')
          ?.configValue;
      };
      const changelogs = await changelogOf(queryId);
      for (const topic of changelogs) expect(await cleanupPolicy(topic), topic).toBe('compact');
      const windowedChangelogs = await changelogOf(windowedId);
      // ksqlDB makes a windowed one compact,delete with the window's retention; compaction is what
      // both share (the retention belongs to the window retention work).
      for (const topic of windowedChangelogs) expect(await cleanupPolicy(topic), topic).toContain('compact');
    } finally {
      await admin.disconnect();
    }
    await ksql('TERMINATE ALL;');
  }, 60_000);
});
