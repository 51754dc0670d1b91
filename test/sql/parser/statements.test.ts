// Each statement kind of ksqlDB's dialect, asserting the AST it becomes.
import { describe, expect, it } from 'vitest';
import { parseStatements } from '../../../src/sql/parser/index.js';
import { parseOne, shape } from './helpers.js';

const id = (value: string, quoted = false) => ({ kind: 'Identifier', value, quoted });
const string = (value: string) => ({ kind: 'StringLiteral', value });

describe('CREATE STREAM / TABLE', () => {
  it('reads columns with types and constraints, and WITH properties', () => {
    const statement = parseOne(`CREATE STREAM pageviews (
        id BIGINT KEY, url VARCHAR, \`Mixed\` STRING, hs ARRAY<STRUCT<key STRING, value BYTES>> HEADERS,
        h BYTES HEADER('trace')
      ) WITH (kafka_topic='pageviews', value_format='JSON', partitions=3);`);
    expect(shape(statement)).toEqual({
      kind: 'CreateSource',
      sourceType: 'STREAM',
      orReplace: false,
      isSource: false,
      ifNotExists: false,
      name: id('PAGEVIEWS'),
      columns: [
        { name: id('ID'), type: { kind: 'PrimitiveType', name: 'BIGINT' }, constraint: { kind: 'Key' } },
        { name: id('URL'), type: { kind: 'PrimitiveType', name: 'STRING' } },
        { name: id('Mixed', true), type: { kind: 'PrimitiveType', name: 'STRING' } },
        {
          name: id('HS'),
          type: {
            kind: 'ArrayType',
            element: {
              kind: 'StructType',
              fields: [
                { name: id('KEY'), type: { kind: 'PrimitiveType', name: 'STRING' } },
                { name: id('VALUE'), type: { kind: 'PrimitiveType', name: 'BYTES' } },
              ],
            },
          },
          constraint: { kind: 'Headers' },
        },
        {
          name: id('H'),
          type: { kind: 'PrimitiveType', name: 'BYTES' },
          constraint: { kind: 'Header', key: 'trace' },
        },
      ],
      properties: [
        { name: 'KAFKA_TOPIC', value: string('pageviews') },
        { name: 'VALUE_FORMAT', value: string('JSON') },
        { name: 'PARTITIONS', value: { kind: 'NumberLiteral', type: 'INTEGER', text: '3' } },
      ],
    });
  });

  it('reads OR REPLACE, SOURCE, IF NOT EXISTS and PRIMARY KEY', () => {
    const statement = parseOne(
      "CREATE OR REPLACE SOURCE TABLE IF NOT EXISTS users (id INT PRIMARY KEY, m MAP<STRING, DECIMAL(4, 2)>) WITH (kafka_topic='u', format='AVRO')",
    );
    expect(statement).toMatchObject({
      kind: 'CreateSource',
      sourceType: 'TABLE',
      orReplace: true,
      isSource: true,
      ifNotExists: true,
      columns: [
        { constraint: { kind: 'PrimaryKey' } },
        {
          type: {
            kind: 'MapType',
            key: { kind: 'PrimitiveType', name: 'STRING' },
            value: { kind: 'DecimalType', precision: 4, scale: 2 },
          },
        },
      ],
    });
  });

  it('reads CREATE ... AS SELECT with properties', () => {
    const statement = parseOne(
      "CREATE TABLE counts WITH (kafka_topic='c') AS SELECT id, COUNT(*) AS n FROM s GROUP BY id EMIT CHANGES;",
    );
    expect(statement).toMatchObject({
      kind: 'CreateAsSelect',
      sourceType: 'TABLE',
      name: { value: 'COUNTS' },
      properties: [{ name: 'KAFKA_TOPIC' }],
      query: { kind: 'Query', emit: 'CHANGES', groupBy: [{ kind: 'ColumnRef', name: { value: 'ID' } }] },
    });
  });

  it('keeps a statement’s own text to its ; (as ksqlDB echoes it) and position', () => {
    const [first, second, third] = parseStatements('SHOW STREAMS;\n  SHOW TABLES EXTENDED ; SHOW TOPICS');
    expect(first).toMatchObject({ text: 'SHOW STREAMS;', pos: { line: 1, column: 1 } });
    expect(second).toMatchObject({ text: 'SHOW TABLES EXTENDED ;', pos: { line: 2, column: 3 } });
    expect(third).toMatchObject({ text: 'SHOW TOPICS' });
  });

  it('reads CREATE TYPE, DROP TYPE and custom type names', () => {
    expect(
      shape(parseOne('CREATE TYPE IF NOT EXISTS address AS STRUCT<street STRING, zip INT>')),
    ).toMatchObject({
      kind: 'CreateType',
      ifNotExists: true,
      name: id('ADDRESS'),
      type: { kind: 'StructType' },
    });
    expect(parseOne("CREATE STREAM s (a ADDRESS) WITH (kafka_topic='t', format='JSON')")).toMatchObject({
      columns: [{ type: { kind: 'CustomType', name: 'ADDRESS' } }],
    });
    expect(shape(parseOne('DROP TYPE IF EXISTS address'))).toEqual({
      kind: 'DropType',
      ifExists: true,
      name: id('ADDRESS'),
    });
  });

  it('reads CREATE SOURCE|SINK CONNECTOR', () => {
    expect(
      parseOne("CREATE SINK CONNECTOR IF NOT EXISTS pg WITH ('connector.class'='JdbcSink')"),
    ).toMatchObject({
      kind: 'CreateConnector',
      connectorType: 'SINK',
      ifNotExists: true,
      properties: [{ name: 'connector.class', value: { value: 'JdbcSink' } }],
    });
  });
});

describe('INSERT', () => {
  it('reads INSERT INTO ... SELECT', () => {
    expect(parseOne('INSERT INTO out SELECT * FROM s EMIT CHANGES')).toMatchObject({
      kind: 'InsertInto',
      target: { value: 'OUT' },
      properties: [],
      query: { select: [{ kind: 'SelectAll' }] },
    });
  });

  it('reads INSERT INTO ... VALUES with and without columns', () => {
    expect(shape(parseOne("INSERT INTO s (id, name) VALUES (1, 'a''b')"))).toEqual({
      kind: 'InsertValues',
      target: id('S'),
      columns: [id('ID'), id('NAME')],
      values: [{ kind: 'NumberLiteral', type: 'INTEGER', text: '1' }, string("a'b")],
    });
    expect(parseOne('INSERT INTO s VALUES (ARRAY[1, 2], -5.5)')).toMatchObject({
      columns: [],
      values: [{ kind: 'ArrayConstructor' }, { kind: 'NumberLiteral', type: 'DECIMAL', text: '-5.5' }],
    });
  });
});

describe('DROP, TERMINATE, ALTER', () => {
  it('reads DROP STREAM|TABLE [IF EXISTS] [DELETE TOPIC]', () => {
    expect(shape(parseOne('DROP TABLE IF EXISTS t DELETE TOPIC'))).toEqual({
      kind: 'DropSource',
      sourceType: 'TABLE',
      ifExists: true,
      name: id('T'),
      deleteTopic: true,
    });
    expect(parseOne('DROP STREAM s')).toMatchObject({ ifExists: false, deleteTopic: false });
    expect(parseOne('DROP CONNECTOR c')).toMatchObject({ kind: 'DropConnector', name: { value: 'C' } });
  });

  it('reads TERMINATE id and TERMINATE ALL', () => {
    expect(shape(parseOne('TERMINATE CSAS_OUT_3'))).toEqual({
      kind: 'Terminate',
      all: false,
      queryId: id('CSAS_OUT_3'),
    });
    expect(shape(parseOne('TERMINATE ALL'))).toEqual({ kind: 'Terminate', all: true });
  });

  it('reads ALTER STREAM ... ADD COLUMN', () => {
    expect(parseOne('ALTER STREAM s ADD COLUMN c INT, ADD d STRING')).toMatchObject({
      kind: 'AlterSource',
      sourceType: 'STREAM',
      addColumns: [{ name: { value: 'C' } }, { name: { value: 'D' } }],
    });
  });
});

describe('SHOW, LIST, DESCRIBE, PRINT, EXPLAIN', () => {
  it.each([
    ['SHOW STREAMS', { target: 'STREAMS', extended: false }],
    ['LIST TABLES EXTENDED', { target: 'TABLES', extended: true }],
    ['SHOW QUERIES EXTENDED', { target: 'QUERIES', extended: true }],
    ['SHOW TOPICS', { target: 'TOPICS', all: false }],
    ['SHOW ALL TOPICS EXTENDED', { target: 'TOPICS', all: true, extended: true }],
    ['SHOW PROPERTIES', { target: 'PROPERTIES' }],
    ['SHOW FUNCTIONS', { target: 'FUNCTIONS' }],
    ['SHOW TYPES', { target: 'TYPES' }],
    ['SHOW VARIABLES', { target: 'VARIABLES' }],
    ['SHOW CONNECTORS EXTENDED', { target: 'CONNECTORS', extended: true }],
    ['SHOW SINK CONNECTORS', { target: 'CONNECTORS', connectorType: 'SINK' }],
    ['SHOW CONNECTOR PLUGINS', { target: 'CONNECTOR_PLUGINS' }],
  ])('%s', (text, expected) => {
    expect(parseOne(text)).toMatchObject({ kind: 'List', ...expected });
  });

  it('reads the forms of DESCRIBE', () => {
    expect(parseOne('DESCRIBE pageviews')).toMatchObject({ kind: 'DescribeSource', extended: false });
    expect(parseOne('DESCRIBE pageviews EXTENDED')).toMatchObject({ kind: 'DescribeSource', extended: true });
    expect(parseOne('DESCRIBE EXTENDED pageviews')).toMatchObject({ kind: 'DescribeSource', extended: true });
    expect(parseOne('DESCRIBE STREAMS EXTENDED')).toMatchObject({
      kind: 'DescribeSources',
      target: 'STREAMS',
      extended: true,
    });
    expect(parseOne('DESCRIBE TABLES')).toMatchObject({ kind: 'DescribeSources', target: 'TABLES' });
    expect(parseOne('DESCRIBE FUNCTION substring')).toMatchObject({
      kind: 'DescribeFunction',
      name: { value: 'SUBSTRING' },
    });
    expect(parseOne('DESCRIBE CONNECTOR pg')).toMatchObject({ kind: 'DescribeConnector' });
  });

  it('reads PRINT with its options; a quoted topic keeps its case', () => {
    expect(shape(parseOne("PRINT 'page-views' FROM BEGINNING INTERVAL 2 LIMIT 10"))).toEqual({
      kind: 'Print',
      topic: id('page-views', true),
      fromBeginning: true,
      interval: 2,
      limit: 10,
    });
    expect(parseOne('PRINT pageviews')).toMatchObject({
      topic: { value: 'PAGEVIEWS' },
      fromBeginning: false,
    });
  });

  it('reads EXPLAIN of a statement and of a query id', () => {
    expect(parseOne('EXPLAIN SELECT * FROM s EMIT CHANGES')).toMatchObject({
      kind: 'Explain',
      statement: { kind: 'QueryStatement', text: 'SELECT * FROM s EMIT CHANGES' },
    });
    expect(parseOne('EXPLAIN CTAS_COUNTS_1')).toMatchObject({
      kind: 'ExplainQuery',
      queryId: { value: 'CTAS_COUNTS_1' },
    });
  });
});

describe('SET, UNSET, DEFINE, UNDEFINE, ASSERT', () => {
  it('reads properties and variables', () => {
    expect(shape(parseOne("SET 'auto.offset.reset' = 'earliest'"))).toEqual({
      kind: 'SetProperty',
      name: 'auto.offset.reset',
      value: 'earliest',
    });
    expect(shape(parseOne("UNSET 'auto.offset.reset'"))).toEqual({
      kind: 'UnsetProperty',
      name: 'auto.offset.reset',
    });
    expect(shape(parseOne("DEFINE topic = 'orders'"))).toEqual({
      kind: 'DefineVariable',
      name: 'TOPIC',
      value: 'orders',
    });
    expect(shape(parseOne('UNDEFINE topic'))).toEqual({ kind: 'UndefineVariable', name: 'TOPIC' });
    expect(shape(parseOne("ALTER SYSTEM 'ksql.x' = 'y'"))).toEqual({
      kind: 'AlterSystem',
      name: 'ksql.x',
      value: 'y',
    });
  });

  it('reads ASSERT TOPIC and ASSERT SCHEMA', () => {
    expect(parseOne("ASSERT NOT EXISTS TOPIC 'orders' WITH (partitions=3) TIMEOUT 5 SECONDS")).toMatchObject({
      kind: 'AssertTopic',
      exists: false,
      topic: { value: 'orders' },
      properties: [{ name: 'PARTITIONS' }],
      timeout: { value: 5, unit: 'SECONDS' },
    });
    expect(parseOne("ASSERT SCHEMA SUBJECT 'orders-value' ID 4")).toMatchObject({
      kind: 'AssertSchema',
      exists: true,
      subject: { value: 'orders-value' },
      id: 4,
    });
  });
});

describe('scripts', () => {
  it('splits at ; and reads comments, with the last ; optional', () => {
    const statements = parseStatements(`
      -- the source
      CREATE STREAM s (id INT KEY) WITH (kafka_topic='s', format='JSON'); /* then */
      SELECT * FROM s EMIT CHANGES;;
      SHOW QUERIES`);
    expect(statements.map((statement) => statement.kind)).toEqual(['CreateSource', 'QueryStatement', 'List']);
    expect(statements[1].pos).toMatchObject({ line: 4, column: 7 });
  });

  it('substitutes ${var} with variables defined before and inside the script', () => {
    const statements = parseStatements(
      "DEFINE fmt = 'AVRO';\nCREATE STREAM ${name} (id INT KEY) WITH (kafka_topic='${name}', format='${fmt}');\nUNDEFINE fmt;",
      { variables: new Map([['NAME', 'orders']]) },
    );
    expect(statements[1]).toMatchObject({
      kind: 'CreateSource',
      name: { value: 'ORDERS' },
      properties: [{ value: { value: 'orders' } }, { value: { value: 'AVRO' } }],
      pos: { line: 2, column: 1 },
    });
  });
});
