// The PostgreSQL source against the real PostgreSQL at 127.0.0.1:5432 (database test, tables srctest_*),
// driving its SourceTask directly with a context whose stored offsets the test controls.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOGICAL_TYPES, type JsonObject, type SourceRecord } from '../../../src/connect/api/data.js';
import { ConnectConfigError, RetriableError } from '../../../src/connect/api/errors.js';
import type { SourceTask, SourceTaskContext } from '../../../src/connect/api/plugin.js';
import { findConnectorPlugin } from '../../../src/connect/plugins/index.js';
import { parseConnectionUrl } from '../../../src/connect/plugins/postgres-source/connection.js';
import { silentLogger } from '../../../src/service/index.js';

const URL = 'jdbc:postgresql://127.0.0.1:5432/test?user=postgres';
let admin: pg.Client;

beforeAll(async () => {
  admin = new pg.Client({ host: '127.0.0.1', port: 5432, database: 'test', user: 'postgres' });
  await admin.connect();
  // This file's tables only: the worker test's table may be in use at the same time.
  for (const table of ['types', 'inc', 'tsinc', 'ts', 'q', 'cut'])
    await admin.query(`DROP TABLE IF EXISTS srctest_${table}`);
  await admin.query('DROP SCHEMA IF EXISTS srctest_listing CASCADE');
});
afterAll(async () => {
  await admin?.end();
});

function plugin() {
  const found = findConnectorPlugin('io.confluent.connect.jdbc.JdbcSourceConnector');
  if (found?.type !== 'source') throw new Error('the JDBC source is not registered');
  return found;
}

/** Offsets as connect-offsets would hold them: the test stores what the worker would store. */
class Offsets {
  readonly stored = new Map<string, JsonObject>();
  context(): SourceTaskContext {
    return {
      connector: 'srctest',
      taskId: 0,
      logger: silentLogger(),
      offset: async (partition) => this.stored.get(JSON.stringify(partition)) ?? null,
    };
  }
  commit(records: readonly SourceRecord[]): void {
    for (const record of records)
      this.stored.set(JSON.stringify(record.sourcePartition), record.sourceOffset);
  }
}

async function startTask(config: Record<string, string>, offsets = new Offsets()): Promise<SourceTask> {
  const [taskConfig] = await plugin().taskConfigs(
    { 'connection.url': URL, 'topic.prefix': 'srctest-', ...config },
    1,
  );
  const task = plugin().createTask();
  await task.start(taskConfig, offsets.context());
  return task;
}

/** Polls until a poll returns nothing; every record is committed to `offsets` as the worker would. */
async function drain(task: SourceTask, offsets?: Offsets): Promise<SourceRecord[]> {
  const all: SourceRecord[] = [];
  const signal = new AbortController().signal;
  for (let polls = 0; polls < 100; polls++) {
    const records = await task.poll(signal);
    offsets?.commit(records);
    if (records.length === 0) return all;
    all.push(...records);
  }
  throw new Error('the task kept returning records');
}

const field = (record: SourceRecord, name: string) =>
  record.valueSchema?.fields?.find((candidate) => candidate.name === name)?.schema;

describe('PostgreSQL source', () => {
  it('is found by its class name and aliases', () => {
    expect(findConnectorPlugin('JdbcSourceConnector')).toBe(plugin());
    expect(findConnectorPlugin('PostgresSourceConnector')).toBe(plugin());
  });

  it('reads connection.url in the JDBC and libpq forms', () => {
    expect(parseConnectionUrl('jdbc:postgresql://db:5433/shop?user=u&password=p')).toEqual({
      host: 'db',
      port: 5433,
      database: 'shop',
      user: 'u',
      password: 'p',
    });
    expect(parseConnectionUrl('postgres://u:p%40ss@127.0.0.1/shop', undefined, undefined)).toMatchObject({
      host: '127.0.0.1',
      port: 5432,
      user: 'u',
      password: 'p@ss',
    });
    expect(parseConnectionUrl('jdbc:postgresql://h/d?user=u', 'override', 'secret')).toMatchObject({
      user: 'override',
      password: 'secret',
    });
    expect(() => parseConnectionUrl('mysql://h/d')).toThrow(ConnectConfigError);
  });

  it('maps every column type to its Connect schema and value', async () => {
    await admin.query(`CREATE TABLE srctest_types (
      id serial PRIMARY KEY, small int2 NOT NULL, regular int4, big int8, price numeric(10,2), loose numeric,
      ratio float4, precise float8, flag bool, raw bytea, body text, label varchar(20), doc jsonb, plain json,
      key uuid, day date, clock time, at timestamp, at_zone timestamptz)`);
    await admin.query(`INSERT INTO srctest_types (small, regular, big, price, loose, ratio, precise, flag, raw, body,
        label, doc, plain, key, day, clock, at, at_zone)
      VALUES (7, -42, 9007199254740993, -1234.50, 3.25, 1.5, 2.125, true, '\\x00ff10', 'text', 'label',
        '{"a": [1, 2]}', '{"b":1}', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', '2026-12-05', '13:14:15.678',
        '2026-12-05 20:13:52.123456', '2026-12-05 22:13:52.5+02')`);
    await admin.query('INSERT INTO srctest_types (small) VALUES (1)');
    const task = await startTask({ mode: 'incrementing', 'table.whitelist': 'srctest_types' });
    const records = await drain(task);
    await task.stop();
    expect(records).toHaveLength(2);
    const [full, sparse] = records;
    expect(full.topic).toBe('srctest-srctest_types');
    expect(full.valueSchema).toMatchObject({ type: 'struct', name: 'srctest_types' });
    expect(field(full, 'id')).toEqual({ type: 'int32', optional: false });
    expect(field(full, 'small')).toEqual({ type: 'int16', optional: false });
    expect(field(full, 'regular')).toEqual({ type: 'int32', optional: true });
    expect(field(full, 'big')?.type).toBe('int64');
    expect(field(full, 'price')).toMatchObject({
      type: 'bytes',
      name: LOGICAL_TYPES.decimal,
      parameters: { scale: '2', 'connect.decimal.precision': '10' },
    });
    expect(field(full, 'loose')?.type).toBe('float64');
    expect(field(full, 'ratio')?.type).toBe('float32');
    expect(field(full, 'precise')?.type).toBe('float64');
    expect(field(full, 'flag')?.type).toBe('boolean');
    expect(field(full, 'raw')?.type).toBe('bytes');
    for (const name of ['body', 'label', 'doc', 'plain', 'key'])
      expect(field(full, name)?.type).toBe('string');
    expect(field(full, 'day')).toMatchObject({ type: 'int32', name: LOGICAL_TYPES.date });
    expect(field(full, 'clock')).toMatchObject({ type: 'int32', name: LOGICAL_TYPES.time });
    expect(field(full, 'at')).toMatchObject({ type: 'int64', name: LOGICAL_TYPES.timestamp });
    expect(field(full, 'at_zone')).toMatchObject({ type: 'int64', name: LOGICAL_TYPES.timestamp });
    expect(full.value).toEqual({
      id: 1,
      small: 7,
      regular: -42,
      big: 9007199254740993n,
      price: '-1234.50',
      loose: 3.25,
      ratio: 1.5,
      precise: 2.125,
      flag: true,
      raw: Buffer.from([0, 255, 16]),
      body: 'text',
      label: 'label',
      doc: '{"a": [1, 2]}',
      plain: '{"b":1}',
      key: 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11',
      day: new Date(Date.UTC(2026, 11, 5)),
      clock: new Date(((13 * 60 + 14) * 60 + 15) * 1000 + 678),
      at: new Date(Date.UTC(2026, 11, 5, 20, 13, 52, 123)),
      at_zone: new Date(Date.UTC(2026, 11, 5, 20, 13, 52, 500)),
    });
    expect(sparse.value).toMatchObject({ id: 2, small: 1, regular: null, price: null, at: null, raw: null });
  });

  it('incrementing mode: batches, Kafka Connect JDBC offsets, and a restart resumes after the stored offset', async () => {
    await admin.query('CREATE TABLE srctest_inc (id bigserial PRIMARY KEY, name text NOT NULL)');
    await admin.query("INSERT INTO srctest_inc (name) SELECT 'row ' || n FROM generate_series(1, 5) n");
    const offsets = new Offsets();
    const config = {
      mode: 'incrementing',
      'incrementing.column.name': 'id',
      'table.include.list': 'public.srctest_inc',
      'batch.max.rows': '2',
      'poll.interval.ms': '60000',
    };
    const task = await startTask(config, offsets);
    const signal = new AbortController().signal;
    expect((await task.poll(signal)).map((record) => (record.value as { id: bigint }).id)).toEqual([1n, 2n]);
    const rest = await drain(task, offsets);
    expect(rest.map((record) => record.sourceOffset)).toEqual([
      { incrementing: 3 },
      { incrementing: 4 },
      { incrementing: 5 },
    ]);
    expect(rest[0].sourcePartition).toEqual({ protocol: '1', table: 'public.srctest_inc' });
    await task.stop();

    await admin.query("INSERT INTO srctest_inc (name) VALUES ('six'), ('seven')");
    const restarted = await startTask(config, offsets);
    const fresh = await drain(restarted, offsets);
    await restarted.stop();
    expect(fresh.map((record) => (record.value as { name: string }).name)).toEqual(['six', 'seven']);

    // The serial column is found when incrementing.column.name is left out; the older partition shape is read.
    const legacy = new Offsets();
    legacy.stored.set(JSON.stringify({ table: 'srctest_inc' }), { incrementing: 6 });
    const found = await startTask({ ...config, 'incrementing.column.name': '' }, legacy);
    expect((await drain(found)).map((record) => (record.value as { name: string }).name)).toEqual(['seven']);
    await found.stop();
  });

  it('timestamp+incrementing mode picks up updates, keeping microseconds in the offset', async () => {
    await admin.query(
      `CREATE TABLE srctest_tsinc (id int PRIMARY KEY, note text, updated timestamp NOT NULL)`,
    );
    await admin.query(`INSERT INTO srctest_tsinc VALUES
      (1, 'a', '2026-01-01 00:00:00.000001'), (2, 'b', '2026-01-01 00:00:00.000001'), (3, 'c', '2026-01-01 00:00:00.000002')`);
    const offsets = new Offsets();
    const config = {
      mode: 'timestamp+incrementing',
      'incrementing.column.name': 'id',
      'timestamp.column.name': 'updated',
      'table.whitelist': 'srctest_tsinc',
      'batch.max.rows': '2',
      'poll.interval.ms': '60000',
    };
    const task = await startTask(config, offsets);
    const first = await drain(task, offsets);
    await task.stop();
    expect(first.map((record) => (record.value as { id: number }).id)).toEqual([1, 2, 3]);
    const at = Date.UTC(2026, 0, 1);
    expect(first[2].sourceOffset).toEqual({ incrementing: 3, timestamp: at, timestamp_nanos: 2000 });

    await admin.query("UPDATE srctest_tsinc SET note = 'a2', updated = '2026-01-02 00:00:00' WHERE id = 1");
    const again = await startTask(config, offsets);
    const updates = await drain(again, offsets);
    await again.stop();
    expect(updates.map((record) => record.value)).toEqual([
      { id: 1, note: 'a2', updated: new Date(Date.UTC(2026, 0, 2)) },
    ]);
  });

  it('timestamp mode waits timestamp.delay.interval.ms before copying a row', async () => {
    await admin.query('CREATE TABLE srctest_ts (id int, changed timestamptz)');
    await admin.query(
      "INSERT INTO srctest_ts VALUES (1, now() - interval '1 hour'), (2, now() + interval '1 hour'), (3, NULL)",
    );
    const task = await startTask({
      mode: 'timestamp',
      'timestamp.column.name': 'changed',
      'table.whitelist': 'srctest_ts',
      'timestamp.delay.interval.ms': '60000',
    });
    const records = await drain(task);
    await task.stop();
    expect(records.map((record) => (record.value as { id: number }).id)).toEqual([1]);
    expect(Object.keys(records[0].sourceOffset).sort()).toEqual(['timestamp', 'timestamp_nanos']);
  });

  it('query mode writes to topic.prefix with the query partition; bulk mode copies everything each pass', async () => {
    await admin.query('CREATE TABLE srctest_q (id int, kind text)');
    await admin.query("INSERT INTO srctest_q VALUES (1, 'x'), (2, 'y'), (3, 'x')");
    const query = await startTask({
      mode: 'incrementing',
      'incrementing.column.name': 'id',
      query: "SELECT id, upper(kind) AS kind FROM srctest_q WHERE kind = 'x'",
      'topic.prefix': 'srctest-query',
    });
    const rows = await drain(query);
    await query.stop();
    expect(rows.map((record) => [record.topic, record.sourcePartition, record.value])).toEqual([
      ['srctest-query', { query: 'query' }, { id: 1, kind: 'X' }],
      ['srctest-query', { query: 'query' }, { id: 3, kind: 'X' }],
    ]);

    const bulk = await startTask({
      mode: 'bulk',
      'table.whitelist': 'srctest_q',
      'batch.max.rows': '2',
      'poll.interval.ms': '1',
    });
    const signal = new AbortController().signal;
    const pass: SourceRecord[] = [];
    while (pass.length < 6) pass.push(...(await bulk.poll(signal)));
    await bulk.stop();
    expect(pass.map((record) => (record.value as { id: number }).id).sort()).toEqual([1, 1, 2, 2, 3, 3]);
  });

  it('splits the tables between tasks, listing them when no include list is given', async () => {
    await admin.query('CREATE SCHEMA srctest_listing');
    for (const name of ['a', 'b', 'c'])
      await admin.query(`CREATE TABLE srctest_listing.t_${name} (id serial)`);
    const base = {
      'connection.url': URL,
      'topic.prefix': 'p-',
      mode: 'incrementing',
      'schema.pattern': 'srctest_listing',
    };
    const two = await plugin().taskConfigs(base, 2);
    expect(two.map((config) => config.tables)).toEqual([
      'srctest_listing.t_a,srctest_listing.t_c',
      'srctest_listing.t_b',
    ]);
    const excluded = await plugin().taskConfigs({ ...base, 'table.exclude.list': 'srctest_listing.t_b' }, 5);
    expect(excluded.map((config) => config.tables)).toEqual(['srctest_listing.t_a', 'srctest_listing.t_c']);
  });

  it('checks its config across keys', async () => {
    const validate = plugin().validate;
    expect(await validate?.({ mode: 'timestamp' })).toHaveProperty('timestamp.column.name');
    expect(await validate?.({ query: 'SELECT 1', 'table.whitelist': 'x' })).toHaveProperty('query');
    const task = plugin().createTask();
    await expect(
      task.start({ 'connection.url': URL, 'topic.prefix': '', mode: 'sometimes' }, new Offsets().context()),
    ).rejects.toThrow(/mode must be one of/);
    await expect(
      task.start(
        { 'connection.url': 'jdbc:mysql://h/d', 'topic.prefix': '', mode: 'bulk' },
        new Offsets().context(),
      ),
    ).rejects.toThrow(ConnectConfigError);
  });

  it('survives its connection being cut: a RetriableError, then it reconnects and carries on', async () => {
    await admin.query('CREATE TABLE srctest_cut (id serial PRIMARY KEY, v text)');
    await admin.query("INSERT INTO srctest_cut (v) VALUES ('before')");
    const offsets = new Offsets();
    const task = await startTask(
      {
        mode: 'incrementing',
        'table.whitelist': 'srctest_cut',
        'poll.interval.ms': '1',
        'connection.backoff.ms': '10',
        // Its own name (pgjdbc's ApplicationName), so that only this task's session is cut.
        'connection.url': `${URL}&ApplicationName=srctest-cut`,
      },
      offsets,
    );
    expect((await drain(task, offsets)).map((record) => (record.value as { v: string }).v)).toEqual([
      'before',
    ]);
    const cut = await admin.query(
      "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'srctest-cut'",
    );
    expect(cut.rowCount).toBe(1);
    await admin.query("INSERT INTO srctest_cut (v) VALUES ('after')");
    const signal = new AbortController().signal;
    const seen: string[] = [];
    let retriable = 0;
    for (let attempt = 0; attempt < 20 && seen.length === 0; attempt++) {
      try {
        const records = await task.poll(signal);
        offsets.commit(records);
        seen.push(...records.map((record) => (record.value as { v: string }).v));
      } catch (error) {
        expect(error).toBeInstanceOf(RetriableError);
        retriable++;
      }
    }
    await task.stop();
    expect(retriable).toBe(1);
    expect(seen).toEqual(['after']);
  });

  it('says which key to check when a table or column does not exist', async () => {
    const missing = await startTask({ mode: 'bulk', 'table.whitelist': 'srctest_missing' });
    await expect(missing.poll(new AbortController().signal)).rejects.toThrow(
      /table public\.srctest_missing does not exist .*table\.whitelist/,
    );
    await missing.stop();
    await admin.query('CREATE TABLE IF NOT EXISTS srctest_q (id int, kind text)');
    const column = await startTask({
      mode: 'incrementing',
      'incrementing.column.name': 'nope',
      'table.whitelist': 'srctest_q',
    });
    await expect(column.poll(new AbortController().signal)).rejects.toThrow(/incrementing\.column\.name/);
    await column.stop();
  });

  it('reports an unreachable PostgreSQL as a RetriableError', async () => {
    const task = plugin().createTask();
    await task.start(
      {
        'connection.url': 'postgres://postgres@127.0.0.1:1/test',
        'topic.prefix': 'x-',
        mode: 'bulk',
        tables: 'public.srctest_nowhere',
        'connection.attempts': '1',
        'connection.backoff.ms': '50',
      },
      new Offsets().context(),
    );
    const failure = task.poll(new AbortController().signal);
    await expect(failure).rejects.toBeInstanceOf(RetriableError);
    await expect(failure).rejects.toThrow(/not reachable/);
    await task.stop();
    await expect(
      plugin().taskConfigs(
        { 'connection.url': 'postgres://postgres@127.0.0.1:1/test', 'topic.prefix': '', mode: 'bulk' },
        1,
      ),
    ).rejects.toBeInstanceOf(RetriableError);
  });
});
