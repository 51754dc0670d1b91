// An aggregation over a real broker: records produced to a topic, read back and deserialized with the
// SQL formats, run through the operators planAggregation gives, and the table's rows written to an
// output topic and read again. The query runner is not there yet (core-query's startPersistentQuery),
// so this test drives the operators itself; it becomes an engine test once the runner exists.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openKafka, type Kafka } from '../../../src/client/index.js';
import { createSerde, type RowSerde } from '../../../src/sql/formats/index.js';
import { createBuiltinRegistry } from '../../../src/sql/functions/index.js';
import { parseStatements, type Query } from '../../../src/sql/parser/index.js';
import { planAggregation } from '../../../src/sql/planner/aggregation.js';
import type { DataSource } from '../../../src/sql/planner/data-source.js';
import { createExpressionCompiler, type PlannedSource } from '../../../src/sql/planner/index.js';
import type { LogicalSchema } from '../../../src/sql/planner/schema.js';
import type { OperatorFactory } from '../../../src/sql/runtime/operator.js';
import type { SqlRecord } from '../../../src/sql/runtime/records.js';
import { SqlTypes } from '../../../src/sql/types/index.js';
import { startTestBroker } from '../../helpers/broker.js';
import { harness } from './harness.js';

const SOURCE_SCHEMA: LogicalSchema = {
  key: [{ name: 'ID', type: SqlTypes.STRING, namespace: 'KEY' }],
  value: [
    { name: 'PAGE', type: SqlTypes.STRING, namespace: 'VALUE' },
    { name: 'USERID', type: SqlTypes.STRING, namespace: 'VALUE' },
  ],
};

const pageviews = (topic: string): PlannedSource => {
  const source = {
    name: 'PAGEVIEWS',
    kind: 'STREAM',
    schema: SOURCE_SCHEMA,
    topic,
    keyFormat: 'KAFKA',
    valueFormat: 'JSON',
    keyOptions: {},
    valueOptions: {},
    isSource: false,
    sqlText: '',
  } as DataSource;
  return {
    schema: SOURCE_SCHEMA,
    kind: 'STREAM',
    input: { kind: 'Topic', source, alias: 'PAGEVIEWS' },
    operators: [],
    aliases: new Map([['PAGEVIEWS', '']]),
  };
};

function query(select: string): Query {
  const [statement] = parseStatements(`CREATE TABLE OUTPUT AS ${select};`);
  if (statement?.kind !== 'CreateAsSelect') throw new Error('not a CTAS');
  return statement.query;
}

/** Kafka Streams' time-windowed key: the inner key's bytes, then the window start as 8 big-endian bytes. */
function timeWindowedKey(key: Buffer, start: number): Buffer {
  const suffix = Buffer.alloc(8);
  suffix.writeBigInt64BE(BigInt(start));
  return Buffer.concat([key, suffix]);
}

function chain(operators: readonly OperatorFactory[]): OperatorFactory {
  return (downstream, context) => {
    let emit = downstream;
    let first = { process: downstream };
    for (const factory of [...operators].reverse()) {
      const operator = factory(emit, context);
      emit = (r) => operator.process(r);
      first = operator;
    }
    return first;
  };
}

describe('an aggregation over a real broker', () => {
  let broker: Awaited<ReturnType<typeof startTestBroker>>;
  let kafka: Kafka;

  beforeAll(async () => {
    broker = await startTestBroker();
    kafka = openKafka({ bootstrapServers: broker.bootstrap });
    await kafka.topics.create({ name: 'pageviews', partitions: 1 });
    const views: [string, string, number][] = [
      ['home', 'alice', 1_000],
      ['cart', 'bob', 2_000],
      ['home', 'bob', 61_000],
      ['home', 'carol', 62_000],
    ];
    await kafka.produce(
      views.map(([page, user, ts], i) => ({
        topic: 'pageviews',
        key: Buffer.from(`view-${i}`),
        value: Buffer.from(JSON.stringify({ PAGE: page, USERID: user })),
        timestamp: BigInt(ts),
      })),
    );
  }, 60_000);

  afterAll(async () => {
    await kafka?.close();
    await broker?.stop();
  });

  /** Reads `pageviews`, runs the planned query, writes its rows to `output` and reads them back. */
  async function runQuery(sql: string, output: string) {
    const planned = planAggregation(
      pageviews('pageviews'),
      query(sql),
      createExpressionCompiler(createBuiltinRegistry()),
    );
    const serde = (
      topic: string,
      isKey: boolean,
      schema: LogicalSchema,
      format: 'KAFKA' | 'JSON',
    ): Promise<RowSerde> =>
      createSerde({ topic, isKey, columns: isKey ? schema.key : schema.value, format, options: {} });
    const [inKey, inValue] = await Promise.all([
      serde('pageviews', true, SOURCE_SCHEMA, 'KAFKA'),
      serde('pageviews', false, SOURCE_SCHEMA, 'JSON'),
    ]);
    const [outKey, outValue] = await Promise.all([
      serde(output, true, planned.schema, 'KAFKA'),
      serde(output, false, planned.schema, 'JSON'),
    ]);

    const h = harness(chain(planned.operators));
    for await (const consumed of kafka.consume({
      topic: 'pageviews',
      from: { kind: 'beginning' },
      stopAtEnd: true,
    })) {
      const record: SqlRecord = {
        key: inKey.deserialize(consumed.key) ?? [],
        value: inValue.deserialize(consumed.value),
        timestamp: Number(consumed.timestamp),
        partition: consumed.partition,
        offset: Number(consumed.offset),
      };
      h.operator.process(record);
    }
    await kafka.topics.create({ name: output, partitions: 1 });
    await kafka.produce(
      h.output.map((row) => {
        const key = outKey.serialize(row.key) ?? Buffer.alloc(0);
        return {
          topic: output,
          key: row.window === undefined ? key : timeWindowedKey(key, row.window.start),
          value: outValue.serialize(row.value),
          timestamp: BigInt(row.timestamp),
        };
      }),
    );
    const rows: { key: string; value: string | null; timestamp: number }[] = [];
    for await (const consumed of kafka.consume({
      topic: output,
      from: { kind: 'beginning' },
      stopAtEnd: true,
    })) {
      rows.push({
        key: consumed.key?.toString('hex') ?? '',
        value: consumed.value?.toString() ?? null,
        timestamp: Number(consumed.timestamp),
      });
    }
    return rows;
  }

  it('counts views per page (GROUP BY with COUNT)', async () => {
    const rows = await runQuery(
      'SELECT PAGE, COUNT(*) AS VIEWS FROM PAGEVIEWS GROUP BY PAGE',
      'VIEWS_BY_PAGE',
    );
    expect(rows).toEqual([
      { key: Buffer.from('home').toString('hex'), value: '{"VIEWS":1}', timestamp: 1_000 },
      { key: Buffer.from('cart').toString('hex'), value: '{"VIEWS":1}', timestamp: 2_000 },
      { key: Buffer.from('home').toString('hex'), value: '{"VIEWS":2}', timestamp: 61_000 },
      { key: Buffer.from('home').toString('hex'), value: '{"VIEWS":3}', timestamp: 62_000 },
    ]);
  }, 60_000);

  it('counts views per page and minute (a tumbling window)', async () => {
    const rows = await runQuery(
      'SELECT PAGE, COUNT(*) AS VIEWS FROM PAGEVIEWS WINDOW TUMBLING (SIZE 1 MINUTE) GROUP BY PAGE',
      'VIEWS_PER_MINUTE',
    );
    const key = (page: string, start: number) => timeWindowedKey(Buffer.from(page), start).toString('hex');
    expect(rows).toEqual([
      { key: key('home', 0), value: '{"VIEWS":1}', timestamp: 1_000 },
      { key: key('cart', 0), value: '{"VIEWS":1}', timestamp: 2_000 },
      { key: key('home', 60_000), value: '{"VIEWS":1}', timestamp: 61_000 },
      { key: key('home', 60_000), value: '{"VIEWS":2}', timestamp: 62_000 },
    ]);
  }, 60_000);
});
