// CREATE OR REPLACE with the real engine over a real broker: a source's definition gains columns, a running
// CREATE STREAM AS SELECT gets a new WHERE under the same query id and goes on from its committed offsets,
// incompatible changes are refused with ksqlDB's messages, and the replacement survives a restart.
import { describe, expect, it } from 'vitest';
import type { SqlEngine } from '../../../src/sql/engine/index.js';
import { waitFor } from '../../helpers/wait.js';
import { statusOf, useEngineOnBroker } from './engine-on-broker.js';

const { kafka, startEngine: startOn, valuesIn } = useEngineOnBroker();
const startEngine = (serviceId: string) =>
  startOn(serviceId, { 'ksql.streams.auto.offset.reset': 'earliest' });

async function refusal(engine: SqlEngine, sql: string): Promise<string> {
  const error = await engine.execute({ sql }).then(
    () => new Error('accepted'),
    (e: Error) => e,
  );
  return error.message;
}

function intKey(id: number): Buffer {
  const key = Buffer.alloc(4);
  key.writeInt32BE(id);
  return key;
}

describe('CREATE OR REPLACE', () => {
  it('adds columns to a stream, and refuses removing one with ksqlDB message', async () => {
    const engine = await startEngine('ddl_replace_');
    await engine.execute({
      sql: "CREATE STREAM a (id INT KEY, col1 INT) WITH (kafka_topic='ddl_a', value_format='JSON', partitions=1);",
    });
    const replaced = await statusOf(
      engine,
      "CREATE OR REPLACE STREAM a (id INT KEY, col1 INT, col2 INT) WITH (kafka_topic='ddl_a', value_format='JSON');",
    );
    expect(replaced.commandStatus).toMatchObject({ status: 'SUCCESS', message: 'Stream created' });
    const [described] = await engine.execute({ sql: 'DESCRIBE a;' });
    expect(described).toMatchObject({
      sourceDescription: { fields: [{ name: 'ID' }, { name: 'COL1' }, { name: 'COL2' }] },
    });

    expect(
      await refusal(
        engine,
        "CREATE OR REPLACE STREAM a (id INT KEY, col1 INT) WITH (kafka_topic='ddl_a', value_format='JSON');",
      ),
    ).toBe(
      "Cannot upgrade data source: DataSource 'A' has schema = `ID` INTEGER KEY, `COL1` INTEGER, " +
        '`COL2` INTEGER which is not upgradeable to `ID` INTEGER KEY, `COL1` INTEGER. ' +
        '(The following columns are changed, missing or reordered: [`COL2` INTEGER])',
    );
    expect(
      await refusal(
        engine,
        "CREATE OR REPLACE TABLE a (id INT PRIMARY KEY, col1 INT, col2 INT) WITH (kafka_topic='ddl_a', value_format='JSON');",
      ),
    ).toBe("Cannot upgrade data source: DataSource 'A' has type = STREAM which is not upgradeable to TABLE");
  }, 120_000);

  it('replaces a running CSAS WHERE in place, from its committed offsets, and keeps it after a restart', async () => {
    const before = await startEngine('csas_replace_');
    await before.execute({
      sql: `
        CREATE STREAM src (id INT KEY, col1 INT) WITH (kafka_topic='cr_src', value_format='JSON', partitions=1);
        CREATE STREAM out WITH (kafka_topic='cr_out') AS SELECT * FROM src WHERE col1 > 10;
      `,
    });
    const produce = (id: number, col1: number) =>
      kafka().produce([
        { topic: 'cr_src', key: intKey(id), value: Buffer.from(JSON.stringify({ COL1: col1 })) },
      ]);
    await produce(1, 5);
    await produce(2, 20);
    await waitFor(async () => (await valuesIn('cr_out')).length === 1, {
      what: 'row 2 in cr_out',
      timeoutMs: 60_000,
    });

    const replaced = await statusOf(
      before,
      "CREATE OR REPLACE STREAM out WITH (kafka_topic='cr_out') AS SELECT * FROM src WHERE col1 > 0;",
    );
    expect(replaced.commandStatus).toMatchObject({ status: 'SUCCESS', queryId: 'CSAS_OUT_1' });
    const [queries] = await before.execute({ sql: 'SHOW QUERIES;' });
    expect(queries).toMatchObject({
      queries: [{ id: 'CSAS_OUT_1', queryString: expect.stringContaining('col1 > 0') }],
    });
    await produce(3, 3);
    await produce(4, -1);
    await produce(5, 4);
    await waitFor(async () => (await valuesIn('cr_out')).length >= 3, {
      what: 'rows 3 and 5 in cr_out',
      timeoutMs: 60_000,
    });
    // Rows 1 and 2 are not read again: the replacement goes on from the old query's offsets.
    expect(await valuesIn('cr_out')).toEqual(['{"COL1":20}', '{"COL1":3}', '{"COL1":4}']);

    expect(
      await refusal(
        before,
        "CREATE OR REPLACE STREAM out WITH (kafka_topic='cr_out') AS SELECT id, col1 AS other FROM src WHERE col1 > 0;",
      ),
    ).toBe(
      "Cannot upgrade data source: DataSource 'OUT' has schema = `ID` INTEGER KEY, `COL1` INTEGER " +
        'which is not upgradeable to `ID` INTEGER KEY, `OTHER` INTEGER. ' +
        '(The following columns are changed, missing or reordered: [`COL1` INTEGER])',
    );
    await before.stop();

    await produce(6, 7);
    await produce(7, -2);
    const after = await startEngine('csas_replace_');
    const [restarted] = await after.execute({ sql: 'SHOW QUERIES;' });
    expect(restarted).toMatchObject({
      queries: [{ id: 'CSAS_OUT_1', queryString: expect.stringContaining('col1 > 0') }],
    });
    await produce(8, 9);
    await waitFor(async () => (await valuesIn('cr_out')).length >= 5, {
      what: 'rows 6 and 8 in cr_out after the restart',
      timeoutMs: 60_000,
    });
    expect(await valuesIn('cr_out')).toEqual([
      '{"COL1":20}',
      '{"COL1":3}',
      '{"COL1":4}',
      '{"COL1":7}',
      '{"COL1":9}',
    ]);
  }, 240_000);

  it('replaces a CTAS aggregation WHERE in place, keeping the counts so far', async () => {
    const engine = await startEngine('ctas_replace_');
    await engine.execute({
      sql: `
        CREATE STREAM foo (id INT KEY, col1 INT) WITH (kafka_topic='cr_foo', value_format='JSON', partitions=1);
        CREATE TABLE bar AS SELECT id, COUNT(*) AS count FROM foo WHERE col1 >= 0 GROUP BY id;
      `,
    });
    const produce = (id: number, col1: number) =>
      kafka().produce([
        { topic: 'cr_foo', key: intKey(id), value: Buffer.from(JSON.stringify({ COL1: col1 })) },
      ]);
    const counts = async () => {
      const handle = await engine.query({ sql: 'SELECT id, count FROM bar;' });
      const rows: unknown[] = [];
      for await (const row of handle.rows()) rows.push(row.values);
      return rows;
    };
    await produce(1, 0);
    await produce(2, 0);
    await waitFor(async () => (await counts()).length === 2, { what: 'both counts', timeoutMs: 60_000 });

    const replaced = await statusOf(
      engine,
      'CREATE OR REPLACE TABLE bar AS SELECT id, COUNT(*) AS count FROM foo WHERE col1 > 0 GROUP BY id;',
    );
    expect(replaced.commandStatus).toMatchObject({ status: 'SUCCESS', queryId: 'CTAS_BAR_1' });
    await produce(1, 0);
    await produce(2, 1);
    const after = await waitFor(
      async () => {
        const rows = await counts();
        return rows.some((row) => String(row) === '2,2') && rows;
      },
      { what: "key 2's count of 2", timeoutMs: 60_000 },
    );
    expect(after).toEqual([
      [1, 1n],
      [2, 2n],
    ]);
  }, 120_000);

  it('refuses replacing queries ksqlDB cannot upgrade, with its messages', async () => {
    const engine = await startEngine('refuse_replace_');
    await engine.execute({
      sql: `
        CREATE STREAM s (id INT KEY, foo INT, col1 INT, col2 INT) WITH (kafka_topic='rr_s', value_format='JSON', partitions=1);
        CREATE TABLE t (id INT PRIMARY KEY, bar INT) WITH (kafka_topic='rr_t', value_format='JSON', partitions=1);
        CREATE STREAM j AS SELECT s.id, s.foo, t.bar FROM s JOIN t ON s.id = t.id;
        CREATE TABLE w AS SELECT id, COUNT(*) FROM s WINDOW TUMBLING (SIZE 30 SECONDS) GROUP BY id;
        CREATE STREAM p AS SELECT * FROM s PARTITION BY col1;
        CREATE TABLE g AS SELECT id, COUNT(*) AS count FROM s GROUP BY id;
      `,
    });
    expect(
      await refusal(
        engine,
        'CREATE OR REPLACE STREAM j AS SELECT s.id, s.foo, t.bar FROM s JOIN t ON s.id = t.id WHERE s.foo > 0;',
      ),
    ).toBe('Upgrades not yet supported for StreamTableJoin');
    expect(
      await refusal(
        engine,
        'CREATE OR REPLACE TABLE w AS SELECT id, COUNT(*) FROM s WINDOW TUMBLING (SIZE 30 SECONDS) WHERE col1 > 0 GROUP BY id;',
      ),
    ).toBe('Upgrades not yet supported for StreamWindowedAggregate');
    expect(
      await refusal(engine, 'CREATE OR REPLACE STREAM p AS SELECT * FROM s PARTITION BY col2;'),
    ).toContain(
      '(Key columns must be identical. The following key columns are changed, missing or reordered: [`COL1` INTEGER KEY])',
    );
    expect(
      await refusal(
        engine,
        'CREATE OR REPLACE TABLE g AS SELECT id, COUNT(*) AS count, SUM(col1) AS total FROM s GROUP BY id;',
      ),
    ).toMatch(
      /^Query is not upgradeable. Plan step of type StreamAggregate must have matching aggregate functions. Values differ: \[COUNT\(.*\)\] vs. \[COUNT\(.*\), SUM\(COL1\)\]$/,
    );
    // A column that is not an aggregate may be added (ksqlDB's "add aggregate columns to value").
    const widened = await statusOf(
      engine,
      'CREATE OR REPLACE TABLE g AS SELECT id, COUNT(*) AS count, AS_VALUE(id) AS id_val FROM s GROUP BY id;',
    );
    expect(widened.commandStatus).toMatchObject({ status: 'SUCCESS' });
  }, 120_000);
});
