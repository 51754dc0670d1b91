// The engine's DDL and metadata statements against a real in-process broker: entity shapes and
// ksqlDB's messages.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openKafka, type Kafka } from '../../../src/client/index.js';
import { createSqlEngine, SqlStatementError, type SqlEngine } from '../../../src/sql/engine/index.js';
import { silentLogger } from '../../../src/service/index.js';
import { startTestBroker, temporaryDataDir } from '../../helpers/broker.js';

let broker: Awaited<ReturnType<typeof startTestBroker>>;
let kafka: Kafka;
let engine: SqlEngine;

beforeAll(async () => {
  broker = await startTestBroker();
  kafka = openKafka({ bootstrapServers: broker.bootstrap });
  engine = createSqlEngine({
    kafka: { bootstrapServers: broker.bootstrap },
    serviceId: 'ddl_',
    stateDir: temporaryDataDir('sql-state'),
    logger: silentLogger(),
  });
  await engine.start();
}, 60_000);

afterAll(async () => {
  await engine?.stop();
  await kafka?.close();
  await broker?.stop();
});

async function run(sql: string, properties?: Record<string, string>) {
  return engine.execute({ sql, properties });
}

async function failure(sql: string): Promise<SqlStatementError> {
  try {
    await run(sql);
  } catch (error) {
    if (error instanceof SqlStatementError) return error;
    throw error;
  }
  throw new Error(`expected ${sql} to fail`);
}

describe('CREATE STREAM / TABLE', () => {
  it('creates the topic when PARTITIONS is given and answers currentStatus', async () => {
    const [entity] = await run(
      "CREATE STREAM orders (id INT KEY, item STRING, qty INT) WITH (kafka_topic='orders', value_format='JSON', partitions=3);",
    );
    expect(entity).toMatchObject({
      '@type': 'currentStatus',
      statementText:
        "CREATE STREAM orders (id INT KEY, item STRING, qty INT) WITH (kafka_topic='orders', value_format='JSON', partitions=3);",
      commandId: 'stream/`ORDERS`/create',
      commandStatus: { status: 'SUCCESS', message: 'Stream created', queryId: null },
      warnings: [],
    });
    expect(typeof (entity as { commandSequenceNumber: number }).commandSequenceNumber).toBe('number');
    const topic = await kafka.topics.describe('orders');
    expect(topic.partitions).toHaveLength(3);
    expect(topic.configs.find((c) => c.name === 'cleanup.policy')?.value).toBe('delete');
  });

  it('refuses a missing topic without PARTITIONS with ksqlDB message and example', async () => {
    const error = await failure(
      "CREATE STREAM foo (FOO STRING) WITH (value_format='avro', kafka_topic='doesntexist');",
    );
    expect(error.errorCode).toBe(40001);
    expect(error.message).toBe(
      "Topic 'doesntexist' does not exist. If you want to create a new topic for the stream/table please re-run " +
        "the statement providing the required 'PARTITIONS' configuration in the WITH clause (and optionally " +
        "'REPLICAS'). For example: CREATE STREAM FOO (FOO STRING) WITH (KAFKA_TOPIC='doesntexist', PARTITIONS=2, " +
        "VALUE_FORMAT='avro');",
    );
  });

  it('needs a PRIMARY KEY for a table, and compacts its topic', async () => {
    expect(
      (
        await failure(
          "CREATE TABLE t0 (v STRING) WITH (kafka_topic='t0', value_format='JSON', partitions=1);",
        )
      ).message,
    ).toBe('Tables require a PRIMARY KEY. Please define the PRIMARY KEY.');
    const [entity] = await run(
      "CREATE TABLE users (id STRING PRIMARY KEY, name STRING) WITH (kafka_topic='users', format='JSON', partitions=1);",
    );
    expect(entity).toMatchObject({
      commandStatus: { message: 'Table created' },
      commandId: 'table/`USERS`/create',
    });
    const topic = await kafka.topics.describe('users');
    expect(topic.configs.find((c) => c.name === 'cleanup.policy')?.value).toBe('compact');
  });

  it('gives ksqlDB messages for names taken, keys and reserved columns', async () => {
    expect(
      (
        await failure(
          "CREATE TABLE orders (id INT PRIMARY KEY) WITH (kafka_topic='orders', value_format='JSON');",
        )
      ).message,
    ).toBe("Cannot add table 'ORDERS': A stream with the same name already exists");
    expect(
      (
        await failure(
          "CREATE STREAM s1 (ID INT PRIMARY KEY, NAME STRING) WITH (kafka_topic='orders',value_format='JSON');",
        )
      ).message,
    ).toMatch(/^Line: 1, Col: 19: Column `ID` is a 'PRIMARY KEY' column: please use 'KEY' for streams\./);
    expect(
      (await failure("CREATE STREAM s2 (ROWPARTITION INT) WITH (kafka_topic='orders', value_format='JSON');"))
        .message,
    ).toBe("'ROWPARTITION' is a reserved column name. You cannot use it as a name for a column.");
    expect(
      (await failure("CREATE STREAM s3 (a INT) WITH (kafka_topic='orders', value_format='JSON', foo=1);"))
        .message,
    ).toBe('Invalid config variable(s) in the WITH clause: FOO');
    expect((await failure("CREATE STREAM s4 (a INT) WITH (kafka_topic='orders');")).message).toMatch(
      /^Statement is missing the 'VALUE_FORMAT' property/,
    );
    expect(
      (await failure("CREATE SOURCE STREAM orders (a INT) WITH (kafka_topic='orders', value_format='JSON');"))
        .message,
    ).toBe("Cannot add stream 'ORDERS': A stream with the same name already exists");
    expect(
      (
        await failure(
          "CREATE OR REPLACE SOURCE STREAM s5 (a INT) WITH (kafka_topic='orders', value_format='JSON');",
        )
      ).message,
    ).toBe("Cannot add stream 'S5': CREATE OR REPLACE is not supported on source streams.");
    expect(
      (
        await failure(
          "CREATE STREAM s6 (a INT) WITH (kafka_topic='orders', value_format='JSON', timestamp='ts');",
        )
      ).message,
    ).toBe("The TIMESTAMP column set in the WITH clause does not exist in the schema: 'TS'");
  });

  it("checks a TIMESTAMP column's type and format with ksqlDB's messages", async () => {
    const message = async (sql: string) => (await failure(sql)).message;
    expect(
      await message(
        "CREATE STREAM ts1 (s STRING) WITH (kafka_topic='orders', value_format='JSON', timestamp='s');",
      ),
    ).toBe('A String timestamp field has been specified without also specifying the timestamp_format');
    expect(
      await message(
        "CREATE STREAM ts2 (b BIGINT) WITH (kafka_topic='orders', value_format='JSON', timestamp='b', timestamp_format='yyyy');",
      ),
    ).toBe(
      "'TIMESTAMP_FORMAT' set in the WITH clause can only be used when the timestamp column is of type STRING.",
    );
    expect(
      await message(
        "CREATE STREAM ts3 (i INT) WITH (kafka_topic='orders', value_format='JSON', timestamp='i');",
      ),
    ).toBe(
      'Timestamp column, I, should be LONG(INT64), TIMESTAMP, or a String with a timestamp_format specified.',
    );
    await run(
      "CREATE STREAM ts_src (k STRING KEY, id BIGINT) WITH (kafka_topic='orders', value_format='JSON');",
    );
    // The sink's TIMESTAMP column is checked before the projection's key column.
    expect(
      await message("CREATE STREAM ts_sink WITH (timestamp='invalid_ts') AS SELECT id FROM ts_src;"),
    ).toMatch(/^The TIMESTAMP column set in the WITH clause does not exist in the schema: 'INVALID_TS'/);
    await run('DROP STREAM ts_src;');
  });

  it('answers IF NOT EXISTS on an existing source without an error', async () => {
    const [entity] = await run(
      "CREATE STREAM IF NOT EXISTS orders (id INT KEY) WITH (kafka_topic='orders', value_format='JSON');",
    );
    expect(entity).toMatchObject({
      commandStatus: {
        status: 'SUCCESS',
        message: 'Cannot add stream `ORDERS`: A stream with the same name already exists.',
      },
    });
  });

  it('keeps the entities of the statements before a failing one', async () => {
    const error = await failure(
      "CREATE TYPE ADDRESS AS STRUCT<street STRING, zip INT>; CREATE STREAM bad (a INT) WITH (kafka_topic='missing_topic', value_format='JSON');",
    );
    expect(error.entities).toHaveLength(1);
    expect(error.entities[0]).toMatchObject({
      commandStatus: {
        message:
          "Registered custom type with name 'ADDRESS' and SQL type STRUCT<`STREET` STRING, `ZIP` INTEGER>",
      },
    });
    expect(error.statementText).toContain('CREATE STREAM bad');
  });
});

describe('metadata statements', () => {
  it('lists streams and tables', async () => {
    const [streams] = await run('SHOW STREAMS;');
    expect(streams).toMatchObject({
      '@type': 'streams',
      statementText: 'SHOW STREAMS;',
      streams: [
        {
          type: 'STREAM',
          name: 'ORDERS',
          topic: 'orders',
          keyFormat: 'KAFKA',
          valueFormat: 'JSON',
          isWindowed: false,
        },
      ],
    });
    const [tables] = await run('LIST TABLES;');
    expect(tables).toMatchObject({
      '@type': 'tables',
      tables: [{ name: 'USERS', keyFormat: 'JSON', valueFormat: 'JSON' }],
    });
  });

  it('describes a source with its fields', async () => {
    const [entity] = await run('DESCRIBE orders EXTENDED;');
    expect(entity).toMatchObject({
      '@type': 'sourceDescription',
      sourceDescription: {
        name: 'ORDERS',
        type: 'STREAM',
        windowType: null,
        extended: true,
        topic: 'orders',
        partitions: 3,
        replication: 1,
        keyFormat: 'KAFKA',
        valueFormat: 'JSON',
        readQueries: [],
        writeQueries: [],
        fields: [
          { name: 'ID', type: 'KEY', schema: { type: 'INTEGER', fields: null, memberSchema: null } },
          { name: 'ITEM', schema: { type: 'STRING', fields: null, memberSchema: null } },
          { name: 'QTY', schema: { type: 'INTEGER', fields: null, memberSchema: null } },
        ],
      },
    });
    expect((await failure('DESCRIBE nothing;')).message).toBe(
      "Could not find STREAM/TABLE 'NOTHING' in the Metastore",
    );
    const [all] = await run('DESCRIBE STREAMS;');
    expect(all).toMatchObject({ '@type': 'source_descriptions', sourceDescriptions: [{ name: 'ORDERS' }] });
  });

  it('lists topics, types, properties and variables', async () => {
    const [topics] = await run('SHOW TOPICS;');
    expect(topics).toMatchObject({ '@type': 'kafka_topics' });
    const names = (topics as unknown as { topics: { name: string; replicaInfo: number[] }[] }).topics;
    expect(names.find((t) => t.name === 'orders')).toEqual({ name: 'orders', replicaInfo: [1, 1, 1] });
    expect(names.some((t) => t.name.startsWith('_confluent-ksql'))).toBe(false);
    const [types] = await run('SHOW TYPES;');
    expect(types).toMatchObject({
      '@type': 'type_list',
      types: { ADDRESS: { type: 'STRUCT', fields: [{ name: 'STREET' }, { name: 'ZIP' }] } },
    });
    const entities = await run("SET 'ksql.streams.auto.offset.reset'='earliest'; SHOW PROPERTIES;");
    expect(entities).toHaveLength(1);
    const properties = entities[0] as unknown as {
      properties: { name: string; value: string }[];
      overwrittenProperties: string[];
    };
    expect(properties.properties).toContainEqual({
      name: 'ksql.streams.auto.offset.reset',
      scope: 'KSQL_STREAMS',
      value: 'earliest',
    });
    expect(properties.overwrittenProperties).toEqual(['ksql.streams.auto.offset.reset']);
    const [variables] = await run("DEFINE topic = 'orders'; SHOW VARIABLES;");
    expect(variables).toMatchObject({
      '@type': 'variables',
      variables: [{ name: 'TOPIC', value: 'orders' }],
    });
  });

  it('lists and describes functions', async () => {
    const [functions] = await run('SHOW FUNCTIONS;');
    expect(
      (functions as unknown as { functions: { name: string }[] }).functions.map((f) => f.name),
    ).toContain('SUBSTRING');
    const [described] = await run('DESCRIBE FUNCTION substring;');
    expect(described).toMatchObject({
      '@type': 'describe_function',
      name: 'SUBSTRING',
      type: 'SCALAR',
      path: 'internal',
    });
    const overloads = (
      described as unknown as { functions: { argumentTypes: string[]; returnType: string }[] }
    ).functions;
    expect(overloads).toContainEqual(
      expect.objectContaining({ argumentTypes: ['VARCHAR', 'INT'], returnType: 'VARCHAR' }),
    );
  });

  it('sends SELECT and PRINT to /query with code 40002', async () => {
    const error = await failure('SHOW STREAMS; SELECT * FROM orders EMIT CHANGES;');
    expect(error.errorCode).toBe(40002);
    expect(error.message).toBe(
      "The following statement types should be issued to the websocket endpoint '/query':\n\t* PRINT\n\t* SELECT",
    );
    expect(error.entities).toHaveLength(1);
  });
});

describe('ALTER, DROP, TYPES, TERMINATE', () => {
  it('adds columns with ALTER', async () => {
    await run(
      "CREATE STREAM alterable (a INT) WITH (kafka_topic='alterable', value_format='JSON', partitions=1);",
    );
    const [entity] = await run('ALTER STREAM alterable ADD COLUMN b STRING, ADD COLUMN c BIGINT;');
    expect(entity).toMatchObject({
      commandStatus: { message: 'Stream ALTERABLE altered.' },
      commandId: 'stream/ALTERABLE/alter',
    });
    const [described] = await run('DESCRIBE alterable;');
    const fields = (described as unknown as { sourceDescription: { fields: { name: string }[] } })
      .sourceDescription.fields;
    expect(fields.map((f) => f.name)).toEqual(['A', 'B', 'C']);
    expect((await failure('ALTER STREAM alterable ADD COLUMN a INT;')).message).toBe(
      'Cannot add column `A` to schema. A column with the same name already exists.',
    );
  });

  it('drops with ksqlDB messages and deletes the topic when asked', async () => {
    expect((await failure('DROP STREAM nothing;')).message).toBe('Stream NOTHING does not exist.');
    expect((await failure('DROP TABLE alterable;')).message).toBe(
      'Incompatible data source type is stream, but statement was DROP table',
    );
    const [missing] = await run('DROP STREAM IF EXISTS nothing;');
    expect(missing).toMatchObject({ commandStatus: { message: 'Source `NOTHING` does not exist.' } });
    const [dropped] = await run('DROP STREAM alterable DELETE TOPIC;');
    expect(dropped).toMatchObject({
      commandId: 'stream/ALTERABLE/drop',
      commandStatus: { message: 'Source `ALTERABLE` (topic: alterable) was dropped.' },
    });
    const topics = await kafka.topics.list();
    expect(topics.some((t) => t.name === 'alterable')).toBe(false);
  });

  it('creates and drops types', async () => {
    expect((await failure('CREATE TYPE ADDRESS AS STRING;')).message).toBe(
      "Cannot register custom type 'ADDRESS' since it is already registered with type: STRUCT<`STREET` STRING, `ZIP` INTEGER>",
    );
    await run(
      "CREATE STREAM people (name STRING, home ADDRESS) WITH (kafka_topic='people', value_format='JSON', partitions=1);",
    );
    const [described] = await run('DESCRIBE people;');
    expect(described).toMatchObject({
      sourceDescription: { fields: [{ name: 'NAME' }, { name: 'HOME', schema: { type: 'STRUCT' } }] },
    });
    const [dropped] = await run('DROP TYPE ADDRESS;');
    expect(dropped).toMatchObject({
      commandStatus: { message: "Dropped type 'ADDRESS'" },
      commandId: 'type/ADDRESS/drop',
    });
    expect((await failure('DROP TYPE ADDRESS;')).message).toBe('Type ADDRESS does not exist.');
  });

  it('refuses to terminate an unknown query', async () => {
    expect((await failure('TERMINATE CSAS_NOPE_1;')).message).toBe('Unknown queryId: CSAS_NOPE_1');
    expect((await failure('EXPLAIN CSAS_NOPE_1;')).message).toBe(
      'Query with id:CSAS_NOPE_1 does not exist, use SHOW QUERIES to view the full set of queries.',
    );
    const [queries] = await run('SHOW QUERIES;');
    expect(queries).toMatchObject({ '@type': 'queries', queries: [] });
  });
});
