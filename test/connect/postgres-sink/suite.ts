// The PostgreSQL sink task against a PostgreSQL: modes, keys, DDL, schemaless JSON, nested data and
// refused rows. sink.test.ts runs it against the real PostgreSQL, embedded.test.ts against the embedded one.
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOGICAL_TYPES } from '../../../src/connect/api/data.js';
import { RetriableError } from '../../../src/connect/api/errors.js';
import {
  columnTypes,
  database,
  optional,
  record,
  rows,
  schema,
  startSink as startSinkAt,
  struct,
  tableName,
} from './helpers.js';

export interface SuiteOptions {
  /** The database's URL, known once beforeAll hooks registered before the suite have run. */
  readonly url: () => string;
  /** pg_stat_activity and pg_terminate_backend, to cut the sink's connection. */
  readonly canTerminateBackends: boolean;
}

export function sinkSuite(options: SuiteOptions): void {
  let client: pg.Client;
  const created: string[] = [];
  const startSink = (config: Record<string, string>, taskOptions: { tolerance?: 'all' | 'none' } = {}) =>
    startSinkAt(options.url(), config, taskOptions);

  /** A fresh table name, dropped after the file. */
  function table(what: string): string {
    const name = tableName(what);
    created.push(name);
    return name;
  }

  beforeAll(async () => {
    client = await database(options.url());
  });

  afterAll(async () => {
    for (const name of created) await client.query(`DROP TABLE IF EXISTS "${name}"`);
    await client.end();
  });

  const STRING_KEY = schema('string');
  const PERSON = struct({ id: schema('string'), name: schema('string'), age: optional('int32') });

  describe('upsert, insert and update', () => {
    it('creates the table with its primary key and upserts: replays and later values win', async () => {
      const topic = table('upsert');
      const sink = await startSink({
        'insert.mode': 'upsert',
        'pk.mode': 'record_key',
        'pk.fields': 'id',
        'auto.create': 'true',
      });
      const person = (id: string, name: string, age: number | null) =>
        record(topic, id, { id, name, age }, { key: STRING_KEY, value: PERSON });
      await sink.task.put([person('a', 'Ada', 36), person('b', 'Bob', null), person('a', 'Ada L.', 37)]);
      await sink.task.put([person('b', 'Bob', 40), person('b', 'Bob', 40)]);
      expect(await rows(client, `SELECT id, name, age FROM "${topic}" ORDER BY id`)).toEqual([
        { id: 'a', name: 'Ada L.', age: 37 },
        { id: 'b', name: 'Bob', age: 40 },
      ]);
      const key = await rows(
        client,
        `SELECT a.attname FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey)
       WHERE i.indrelid = to_regclass($1) AND i.indisprimary`,
        [`"${topic}"`],
      );
      expect(key).toEqual([{ attname: 'id' }]);
      expect(sink.reported).toEqual([]);
      await sink.stop();
    });

    it('insert mode reports a duplicate key and commits the other rows', async () => {
      const topic = table('insert');
      const sink = await startSink({ 'pk.mode': 'record_key', 'pk.fields': 'id', 'auto.create': 'true' });
      const person = (id: string, name: string) =>
        record(topic, id, { id, name, age: null }, { key: STRING_KEY, value: PERSON });
      await sink.task.put([person('a', 'Ada')]);
      const duplicate = person('a', 'Again');
      await sink.task.put([person('b', 'Bob'), duplicate, person('c', 'Cy')]);
      expect(await rows(client, `SELECT id, name FROM "${topic}" ORDER BY id`)).toEqual([
        { id: 'a', name: 'Ada' },
        { id: 'b', name: 'Bob' },
        { id: 'c', name: 'Cy' },
      ]);
      expect(sink.reported.map((report) => report.record)).toEqual([duplicate]);
      expect(sink.reported[0].error.message).toMatch(/duplicate key/);
      await sink.stop();
    });

    it('update mode changes existing rows and leaves unknown keys alone', async () => {
      const topic = table('update');
      await client.query(`CREATE TABLE "${topic}" (id TEXT PRIMARY KEY, name TEXT, age INT)`);
      await client.query(`INSERT INTO "${topic}" VALUES ('a', 'Ada', 1), ('b', 'Bob', 2)`);
      const sink = await startSink({ 'insert.mode': 'update', 'pk.mode': 'record_key', 'pk.fields': 'id' });
      await sink.task.put([
        record(topic, 'a', { id: 'a', name: 'Ada', age: 36 }, { key: STRING_KEY, value: PERSON }),
        record(topic, 'z', { id: 'z', name: 'Zed', age: 9 }, { key: STRING_KEY, value: PERSON }),
      ]);
      expect(await rows(client, `SELECT id, name, age FROM "${topic}" ORDER BY id`)).toEqual([
        { id: 'a', name: 'Ada', age: 36 },
        { id: 'b', name: 'Bob', age: 2 },
      ]);
      await sink.stop();
    });

    it('splits a put into statements of batch.size rows, all in one commit', async () => {
      const topic = table('batches');
      const sink = await startSink({
        'insert.mode': 'upsert',
        'pk.mode': 'record_key',
        'pk.fields': 'id',
        'auto.create': 'true',
        'batch.size': '2',
      });
      const records = ['a', 'b', 'c', 'd', 'e'].map((id) =>
        record(topic, id, { id, name: id.toUpperCase(), age: 1 }, { key: STRING_KEY, value: PERSON }),
      );
      await sink.task.put(records);
      expect(await rows(client, `SELECT count(*)::int AS n FROM "${topic}"`)).toEqual([{ n: 5 }]);
      await sink.stop();
    });
  });

  describe('deletes', () => {
    const config = {
      'insert.mode': 'upsert',
      'pk.mode': 'record_key',
      'pk.fields': 'id',
      'auto.create': 'true',
      'delete.enabled': 'true',
    };

    it('turns tombstones into deletes, in record order within a put', async () => {
      const topic = table('delete');
      const sink = await startSink(config);
      const person = (id: string, name: string) =>
        record(topic, id, { id, name, age: null }, { key: STRING_KEY, value: PERSON });
      const tombstone = (id: string) => record(topic, id, null, { key: STRING_KEY, value: null });
      await sink.task.put([person('a', 'Ada'), person('b', 'Bob'), person('c', 'Cy')]);
      // a: upsert then delete ends deleted; b: delete then upsert ends present; c: deleted in a later put.
      await sink.task.put([
        person('a', 'Ada 2'),
        tombstone('a'),
        tombstone('b'),
        person('b', 'Bob 2'),
        tombstone('c'),
      ]);
      expect(await rows(client, `SELECT id, name FROM "${topic}" ORDER BY id`)).toEqual([
        { id: 'b', name: 'Bob 2' },
      ]);
      await sink.task.put([tombstone('b'), tombstone('never-there')]);
      expect(await rows(client, `SELECT id FROM "${topic}"`)).toEqual([]);
      await sink.stop();
    });

    it('keeps order in insert mode too: insert, delete, insert of one key', async () => {
      const topic = table('delete_insert');
      const sink = await startSink({ ...config, 'insert.mode': 'insert' });
      const person = (id: string, name: string) =>
        record(topic, id, { id, name, age: null }, { key: STRING_KEY, value: PERSON });
      const tombstone = (id: string) => record(topic, id, null, { key: STRING_KEY, value: null });
      await sink.task.put([person('a', 'one'), tombstone('a'), person('a', 'two')]);
      expect(await rows(client, `SELECT id, name FROM "${topic}"`)).toEqual([{ id: 'a', name: 'two' }]);
      expect(sink.reported).toEqual([]);
      await sink.stop();
    });

    it('skips tombstones when delete.enabled is false', async () => {
      const topic = table('no_delete');
      const sink = await startSink({ ...config, 'delete.enabled': 'false' });
      await sink.task.put([
        record(topic, 'a', { id: 'a', name: 'Ada', age: null }, { key: STRING_KEY, value: PERSON }),
        record(topic, 'a', null, { key: STRING_KEY, value: null }),
      ]);
      expect(await rows(client, `SELECT id FROM "${topic}"`)).toEqual([{ id: 'a' }]);
      expect(sink.reported).toEqual([]);
      await sink.stop();
    });
  });

  describe('types', () => {
    it('creates a column nullable when some rows of the first batch come from a schema without it', async () => {
      const topic = table('versions');
      const sink = await startSink({
        'insert.mode': 'upsert',
        'pk.mode': 'record_key',
        'pk.fields': 'id',
        'auto.create': 'true',
      });
      const v1 = struct({ id: schema('string'), price: schema('int64') });
      const v2 = struct({ id: schema('string'), price: schema('int64'), currency: schema('string') });
      await sink.task.put([
        record(topic, 'a', { id: 'a', price: 5 }, { key: STRING_KEY, value: v1 }),
        record(topic, 'b', { id: 'b', price: 7, currency: 'EUR' }, { key: STRING_KEY, value: v2 }),
      ]);
      expect(sink.reported).toEqual([]);
      expect(await rows(client, `SELECT id, price, currency FROM "${topic}" ORDER BY id`)).toEqual([
        { id: 'a', price: '5', currency: null },
        { id: 'b', price: '7', currency: 'EUR' },
      ]);
      await sink.stop();
    });

    it('maps Connect types to PostgreSQL columns, nested structs, arrays and maps to JSONB', async () => {
      const topic = table('types');
      const valueSchema = struct({
        id: schema('int64'),
        tiny: schema('int8'),
        small: schema('int16'),
        int: schema('int32'),
        real: schema('float32'),
        double: schema('float64'),
        flag: schema('boolean'),
        text: schema('string'),
        blob: schema('bytes'),
        price: schema('bytes', { name: LOGICAL_TYPES.decimal, parameters: { scale: '2' } }),
        day: schema('int32', { name: LOGICAL_TYPES.date }),
        clock: schema('int32', { name: LOGICAL_TYPES.time }),
        at: schema('int64', { name: LOGICAL_TYPES.timestamp }),
        address: struct({ city: schema('string'), zip: optional('string') }),
        tags: schema('array', { valueSchema: schema('string') }),
        scores: schema('map', { keySchema: schema('string'), valueSchema: schema('int64') }),
        note: optional('string'),
      });
      const sink = await startSink({ 'pk.mode': 'record_value', 'pk.fields': 'id', 'auto.create': 'true' });
      await sink.task.put([
        record(
          topic,
          null,
          {
            id: 9007199254740993n,
            tiny: 7,
            small: -300,
            int: 70000,
            real: 1.5,
            double: 2.25,
            flag: true,
            text: 'quote " and \\ backslash, comma',
            blob: new Uint8Array([0, 1, 255]),
            price: '12.34',
            day: new Date(Date.UTC(2024, 1, 29)),
            clock: new Date(Date.UTC(1970, 0, 1, 13, 45, 6, 789)),
            at: new Date(Date.UTC(2024, 5, 1, 12, 0, 0, 250)),
            address: { city: 'Venice', zip: null },
            tags: ['a', 'b'],
            scores: new Map([['x', 1n]]),
            note: null,
          },
          { value: valueSchema },
        ),
      ]);
      expect(await columnTypes(client, topic)).toEqual({
        id: 'bigint',
        tiny: 'smallint',
        small: 'smallint',
        int: 'integer',
        real: 'real',
        double: 'double precision',
        flag: 'boolean',
        text: 'text',
        blob: 'bytea',
        price: 'numeric',
        day: 'date',
        clock: 'time without time zone',
        at: 'timestamp without time zone',
        address: 'jsonb',
        tags: 'jsonb',
        scores: 'jsonb',
        note: 'text',
      });
      const [row] = await rows(
        client,
        `SELECT id::text, tiny, small, int, real, double, flag, text, encode(blob, 'hex') AS blob, price::text,
              day::text, clock::text, at::text, address, tags, scores, note FROM "${topic}"`,
      );
      expect(row).toEqual({
        id: '9007199254740993',
        tiny: 7,
        small: -300,
        int: 70000,
        real: 1.5,
        double: 2.25,
        flag: true,
        text: 'quote " and \\ backslash, comma',
        blob: '0001ff',
        price: '12.34',
        day: '2024-02-29',
        clock: '13:45:06.789',
        at: '2024-06-01 12:00:00.25',
        address: { city: 'Venice', zip: null },
        tags: ['a', 'b'],
        scores: { x: 1 },
        note: null,
      });
      await sink.stop();
    });

    it('writes Timestamps as wall-clock time in db.timezone', async () => {
      const topic = table('timezone');
      const sink = await startSink({
        'pk.mode': 'record_value',
        'pk.fields': 'id',
        'auto.create': 'true',
        'db.timezone': 'America/New_York',
      });
      const valueSchema = struct({
        id: schema('int32'),
        at: schema('int64', { name: LOGICAL_TYPES.timestamp }),
      });
      await sink.task.put([
        record(topic, null, { id: 1, at: new Date(Date.UTC(2024, 0, 15, 17, 0)) }, { value: valueSchema }),
      ]);
      expect(await rows(client, `SELECT at::text FROM "${topic}"`)).toEqual([{ at: '2024-01-15 12:00:00' }]);
      await sink.stop();
    });
  });

  describe('schemaless JSON', () => {
    it('infers columns from the values, and evolves the table when new fields come', async () => {
      const topic = table('schemaless');
      const sink = await startSink({
        'insert.mode': 'upsert',
        'pk.mode': 'record_key',
        'auto.create': 'true',
        'auto.evolve': 'true',
      });
      await sink.task.put([
        record(topic, 'k1', {
          count: 1,
          ratio: 1,
          name: 'one',
          ok: true,
          nested: { a: [1, 2] },
          list: [{ b: 1 }],
          gone: null,
        }),
        record(topic, 'k2', { count: 2, ratio: 0.5, name: 'two', ok: false, nested: { a: [] }, list: [] }),
      ]);
      expect(await columnTypes(client, topic)).toEqual({
        __connect_key: 'text',
        count: 'bigint',
        ratio: 'double precision',
        name: 'text',
        ok: 'boolean',
        nested: 'jsonb',
        list: 'jsonb',
      });
      await sink.task.put([
        record(topic, 'k1', { count: 10, ratio: 2, name: 'uno', ok: true, added: 'new' }),
      ]);
      expect(await columnTypes(client, topic)).toMatchObject({ added: 'text' });
      expect(
        await rows(
          client,
          `SELECT __connect_key AS k, count::int, ratio, name, nested, added FROM "${topic}" ORDER BY 1`,
        ),
      ).toEqual([
        { k: 'k1', count: 10, ratio: 2, name: 'uno', nested: { a: [1, 2] }, added: 'new' },
        { k: 'k2', count: 2, ratio: 0.5, name: 'two', nested: { a: [] }, added: null },
      ]);
      expect(sink.reported).toEqual([]);
      await sink.stop();
    });

    it('takes a schemaless JSON key object as the primary key', async () => {
      const topic = table('json_key');
      const sink = await startSink({
        'insert.mode': 'upsert',
        'pk.mode': 'record_key',
        'auto.create': 'true',
      });
      await sink.task.put([
        record(topic, { tenant: 't1', id: 1 }, { amount: 5 }),
        record(topic, { tenant: 't1', id: 1 }, { amount: 6 }),
        record(topic, { tenant: 't2', id: 1 }, { amount: 7 }),
      ]);
      expect(
        await rows(client, `SELECT tenant, id::int, amount::int FROM "${topic}" ORDER BY tenant`),
      ).toEqual([
        { tenant: 't1', id: 1, amount: 6 },
        { tenant: 't2', id: 1, amount: 7 },
      ]);
      await sink.stop();
    });

    it('reports a record with a new field when auto.evolve is false, and writes the others', async () => {
      const topic = table('no_evolve');
      const sink = await startSink({
        'insert.mode': 'upsert',
        'pk.mode': 'record_key',
        'auto.create': 'true',
      });
      await sink.task.put([record(topic, 'a', { n: 1 })]);
      const extra = record(topic, 'b', { n: 2, surprise: 'x' });
      await sink.task.put([extra, record(topic, 'c', { n: 3 })]);
      expect(await rows(client, `SELECT __connect_key AS k FROM "${topic}" ORDER BY 1`)).toEqual([
        { k: 'a' },
        { k: 'c' },
      ]);
      expect(sink.reported.map((report) => report.record)).toEqual([extra]);
      expect(sink.reported[0].error.message).toMatch(/auto\.evolve/);
      await sink.stop();
    });
  });

  describe('primary key modes', () => {
    it('kafka: the coordinates are the key, so a replayed record is the same row', async () => {
      const topic = table('kafka_pk');
      const sink = await startSink({ 'insert.mode': 'upsert', 'pk.mode': 'kafka', 'auto.create': 'true' });
      const first = record(topic, null, { n: 1 }, { partition: 3 });
      await sink.task.put([first]);
      await sink.task.put([first]);
      expect(
        await rows(
          client,
          `SELECT __connect_topic AS t, __connect_partition AS p, __connect_offset::text AS o, n::int FROM "${topic}"`,
        ),
      ).toEqual([{ t: topic, p: 3, o: first.offset.toString(), n: 1 }]);
      await sink.stop();
    });

    it('record_key with a struct key and a pk.fields subset; value fields with the same name are not repeated', async () => {
      const topic = table('struct_key');
      const keySchema = struct({ region: schema('string'), id: schema('int32'), ignored: schema('string') });
      const valueSchema = struct({ id: schema('int32'), label: schema('string') });
      const sink = await startSink({
        'insert.mode': 'upsert',
        'pk.mode': 'record_key',
        'pk.fields': 'region,id',
        'auto.create': 'true',
      });
      await sink.task.put([
        record(
          topic,
          { region: 'eu', id: 1, ignored: 'x' },
          { id: 1, label: 'first' },
          { key: keySchema, value: valueSchema },
        ),
      ]);
      expect(await columnTypes(client, topic)).toEqual({ region: 'text', id: 'integer', label: 'text' });
      await sink.stop();
    });

    it('none with fields.whitelist: plain inserts of the listed fields', async () => {
      const topic = table('whitelist');
      const sink = await startSink({ 'auto.create': 'true', 'fields.whitelist': 'a,c' });
      await sink.task.put([
        record(topic, null, { a: 1, b: 2, c: 3 }),
        record(topic, null, { a: 1, b: 2, c: 3 }),
      ]);
      expect(await rows(client, `SELECT a::int, c::int FROM "${topic}"`)).toEqual([
        { a: 1, c: 3 },
        { a: 1, c: 3 },
      ]);
      expect(Object.keys(await columnTypes(client, topic)).sort()).toEqual(['a', 'c']);
      await sink.stop();
    });

    it('quote.sql.identifiers=never folds names to lower case, as PostgreSQL does', async () => {
      const topic = table('never_quote');
      const sink = await startSink({ 'auto.create': 'true', 'quote.sql.identifiers': 'never' });
      await sink.task.put([record(topic, null, { orderId: 1 })]);
      await sink.task.put([record(topic, null, { orderId: 2 })]);
      expect(await rows(client, `SELECT orderid::int FROM "${topic}" ORDER BY 1`)).toEqual([
        { orderid: 1 },
        { orderid: 2 },
      ]);
      await sink.stop();
    });
  });

  describe('refused records', () => {
    it('reports a row the database refuses (NOT NULL, bad type) and commits the rest', async () => {
      const topic = table('poison');
      await client.query(`CREATE TABLE "${topic}" (id TEXT PRIMARY KEY, qty INT NOT NULL)`);
      const sink = await startSink({ 'insert.mode': 'upsert', 'pk.mode': 'record_key', 'pk.fields': 'id' });
      const nullQty = record(topic, 'b', { qty: null });
      const textQty = record(topic, 'c', { qty: 'many' });
      const notAnObject = record(topic, 'e', 'just a string');
      await sink.task.put([
        record(topic, 'a', { qty: 1 }),
        nullQty,
        textQty,
        notAnObject,
        record(topic, 'd', { qty: 4 }),
      ]);
      expect(await rows(client, `SELECT id, qty FROM "${topic}" ORDER BY id`)).toEqual([
        { id: 'a', qty: 1 },
        { id: 'd', qty: 4 },
      ]);
      expect(sink.reported.map((report) => report.record.offset).sort()).toEqual(
        [nullQty.offset, textQty.offset, notAnObject.offset].sort(),
      );
      const messages = sink.reported.map((report) => report.error.message).join('\n');
      expect(messages).toMatch(/not-null/);
      expect(messages).toMatch(/invalid input syntax for type integer/);
      expect(messages).toMatch(/not a struct or a JSON object/);
      await sink.stop();
    });

    it('with errors.tolerance=none the put fails and nothing of it is committed', async () => {
      const topic = table('poison_none');
      await client.query(`CREATE TABLE "${topic}" (id TEXT PRIMARY KEY, qty INT NOT NULL)`);
      const sink = await startSink(
        { 'insert.mode': 'upsert', 'pk.mode': 'record_key', 'pk.fields': 'id' },
        { tolerance: 'none' },
      );
      const put = sink.task.put([record(topic, 'a', { qty: 1 }), record(topic, 'b', { qty: null })]);
      await expect(put).rejects.toThrow(/could not be written: .*not-null/);
      await expect(put).rejects.not.toBeInstanceOf(RetriableError);
      expect(await rows(client, `SELECT id FROM "${topic}"`)).toEqual([]);
      await sink.stop();
    });

    it('fails the put with what to do when the table is missing and auto.create is off', async () => {
      const topic = table('missing');
      const sink = await startSink({});
      await expect(sink.task.put([record(topic, null, { a: 1 })])).rejects.toThrow(/auto\.create=true/);
      await sink.stop();
    });
  });

  describe.runIf(options.canTerminateBackends)('connection lost between puts', () => {
    it('reconnects (after RetriableError when a put sees it), and every row is written exactly once', async () => {
      const topic = table('reconnect');
      const application = `sinktest_${topic.slice(-8)}`;
      const sink = await startSink({
        'connection.url': `${options.url()}${options.url().includes('?') ? '&' : '?'}ApplicationName=${application}`,
        'insert.mode': 'upsert',
        'pk.mode': 'record_key',
        'auto.create': 'true',
        'retry.backoff.ms': '10',
      });
      const batch = (from: number) =>
        Array.from({ length: 50 }, (_, index) => record(topic, `k${from + index}`, { n: from + index }));
      await sink.task.put(batch(0));
      await client.query(
        'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1',
        [application],
      );
      // The lost connection shows either at once (the task reconnects) or in the next put (RetriableError).
      const second = batch(50);
      for (let attempt = 0; ; attempt++) {
        const error = await sink.task.put(second).then(
          () => null,
          (caught: unknown) => caught,
        );
        if (error === null) break;
        expect(error).toBeInstanceOf(RetriableError);
        expect(attempt).toBeLessThan(3);
      }
      await sink.task.put(batch(25)); // a replay of rows already written changes nothing
      expect(
        await rows(client, `SELECT count(*)::int AS n, count(DISTINCT n)::int AS d FROM "${topic}"`),
      ).toEqual([{ n: 100, d: 100 }]);
      await sink.stop();
    });
  });
}
