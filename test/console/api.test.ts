// The console's JSON API against a real broker and a real schema registry: topics, messages decoded
// from Avro through the registry, consumer groups' lag, and the errors bad input gets.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openKafka, type Kafka } from '../../src/client/index.js';
import { SchemaRegistryClient, Serdes } from '../../src/serdes/index.js';
import { startConsoleStack, type ConsoleStack } from './helpers.js';

const PAYMENT_SCHEMA = JSON.stringify({
  type: 'record',
  name: 'Payment',
  fields: [
    { name: 'id', type: 'int' },
    { name: 'amount', type: 'double' },
    { name: 'cents', type: 'long' },
  ],
});

interface DecodedField {
  encoding: string;
  value: unknown;
  schemaId?: number;
}
interface BrowsedRecord {
  partition: number;
  offset: string;
  key: DecodedField;
  value: DecodedField;
  headers: { key: string; value: DecodedField }[];
}

let stack: ConsoleStack;
let kafka: Kafka;

beforeAll(async () => {
  stack = await startConsoleStack();
  kafka = openKafka({ bootstrapServers: stack.broker.bootstrap });
});

afterAll(async () => {
  await kafka?.close();
  await stack?.stop();
});

describe('console API: topics', { timeout: 120_000 }, () => {
  it('creates, lists, describes, reconfigures and deletes a topic', async () => {
    const created = await stack.api('POST', '/api/topics', {
      name: 'orders',
      partitions: 3,
      configs: { 'cleanup.policy': 'compact' },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: 'orders', partitions: 3, compacted: true });

    await kafka.produce([
      { topic: 'orders', partition: 0, key: Buffer.from('a'), value: Buffer.from('{"n":1}') },
      { topic: 'orders', partition: 0, key: Buffer.from('b'), value: Buffer.from('{"n":2}') },
      { topic: 'orders', partition: 2, key: Buffer.from('c'), value: Buffer.from('plain text') },
    ]);

    const list = await stack.api<{ topics: { name: string; partitions: number; messages: string }[] }>(
      'GET',
      '/api/topics',
    );
    expect(list.status).toBe(200);
    // _schemas, the registry's topic, is listed only with internal=true.
    expect(list.body.topics.some((topic) => topic.name === '_schemas')).toBe(false);
    const all = await stack.api<{ topics: { name: string; internal: boolean }[] }>(
      'GET',
      '/api/topics?internal=true',
    );
    expect(all.body.topics.find((topic) => topic.name === '_schemas')).toMatchObject({ internal: true });
    const listed = list.body.topics.find((topic) => topic.name === 'orders');
    expect(listed).toMatchObject({ partitions: 3, messages: '3' });

    const detail = await stack.api<{
      sizeBytes: string;
      partitionDetails: { partition: number; lowOffset: string; highOffset: string; sizeBytes: string }[];
    }>('GET', '/api/topics/orders');
    expect(detail.status).toBe(200);
    expect(detail.body.partitionDetails.map((p) => [p.partition, p.lowOffset, p.highOffset])).toEqual([
      [0, '0', '2'],
      [1, '0', '0'],
      [2, '0', '1'],
    ]);
    // Sizes on disk come from DescribeLogDirs: the empty partition has no bytes, the others some.
    const sizes = detail.body.partitionDetails.map((p) => Number(p.sizeBytes));
    expect(sizes[0]).toBeGreaterThan(0);
    expect(sizes[1]).toBe(0);
    expect(sizes[2]).toBeGreaterThan(0);
    expect(Number(detail.body.sizeBytes)).toBe(sizes[0] + sizes[1] + sizes[2]);
    expect((listed as unknown as { sizeBytes: string }).sizeBytes).toBe(detail.body.sizeBytes);

    const changed = await stack.api('PATCH', '/api/topics/orders/configs', {
      set: { 'retention.ms': '86400000' },
    });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ retentionMs: '86400000' });

    const duplicate = await stack.api<{ error: string }>('POST', '/api/topics', { name: 'orders' });
    expect(duplicate.status).toBe(409);

    expect((await stack.api('DELETE', '/api/topics/orders')).status).toBe(200);
    expect((await stack.api('GET', '/api/topics/orders')).status).toBe(404);
    expect((await stack.api('DELETE', '/api/topics/orders')).status).toBe(404);
  });

  it('answers bad input with a 400 that says what to do', async () => {
    const bad = await stack.api<{ error: string; hint: string }>('POST', '/api/topics', {
      name: 'no spaces please',
    });
    expect(bad.status).toBe(400);
    expect(bad.body.hint).toMatch(/letters, digits/);
    const badPartitions = await stack.api<{ error: string }>('POST', '/api/topics', {
      name: 'x',
      partitions: 0,
    });
    expect(badPartitions.status).toBe(400);
    expect(badPartitions.body.error).toMatch(/partitions/);
  });

  it('gives the overview counts and component health', async () => {
    await stack.api('POST', '/api/topics', { name: 'overview-topic', partitions: 2 });
    const overview = await stack.api<{
      topics: number;
      partitions: number;
      broker: { reachable: boolean };
      components: { name: string; health: string }[];
    }>('GET', '/api/overview');
    expect(overview.status).toBe(200);
    expect(overview.body.broker.reachable).toBe(true);
    expect(overview.body.topics).toBeGreaterThanOrEqual(1);
    expect(overview.body.partitions).toBeGreaterThanOrEqual(2);
    const health = Object.fromEntries(overview.body.components.map((c) => [c.name, c.health]));
    expect(health).toMatchObject({ broker: 'ok', registry: 'ok', sql: 'not configured' });
  });
});

describe('console API: messages', { timeout: 120_000 }, () => {
  it('decodes Avro through the registry, JSON, text and headers, newest first', async () => {
    await stack.api('POST', '/api/topics', { name: 'payments', partitions: 1 });
    const serdes = new Serdes(new SchemaRegistryClient({ url: stack.registry.url }));
    const avro = await serdes.serialize(
      'payments',
      { id: 7, amount: 12.5, cents: 1250n },
      { schemaType: 'AVRO', schema: PAYMENT_SCHEMA },
    );
    await kafka.produce([
      {
        topic: 'payments',
        key: Buffer.from('k1'),
        value: avro,
        headers: [{ key: 'source', value: Buffer.from('test') }],
      },
      { topic: 'payments', key: null, value: Buffer.from('{"refund":true}') },
      { topic: 'payments', key: null, value: Buffer.from([0xff, 0xfe, 0x01]) },
    ]);
    const browsed = await stack.api<{ order: string; records: BrowsedRecord[] }>(
      'GET',
      '/api/topics/payments/messages',
    );
    expect(browsed.status).toBe(200);
    expect(browsed.body.order).toBe('newest');
    const [binary, json, decoded] = browsed.body.records;
    expect(decoded.offset).toBe('0');
    expect(decoded.value).toMatchObject({ encoding: 'avro', value: { id: 7, amount: 12.5, cents: 1250 } });
    expect(decoded.value.schemaId).toBeGreaterThan(0);
    expect(decoded.key).toMatchObject({ encoding: 'text', value: 'k1' });
    expect(decoded.headers).toEqual([
      { key: 'source', value: { encoding: 'text', value: 'test', sizeBytes: 4 } },
    ]);
    expect(json.value).toMatchObject({ encoding: 'json', value: { refund: true } });
    expect(json.key.encoding).toBe('null');
    expect(binary.value).toMatchObject({ encoding: 'hex', value: 'fffe01' });

    const fromOffset = await stack.api<{ records: BrowsedRecord[] }>(
      'GET',
      '/api/topics/payments/messages?partition=0&offset=1&limit=1',
    );
    expect(fromOffset.body.records.map((record) => record.offset)).toEqual(['1']);
    const fromTime = await stack.api<{ records: BrowsedRecord[] }>(
      'GET',
      `/api/topics/payments/messages?timestamp=${new Date(Date.now() - 60_000).toISOString()}`,
    );
    expect(fromTime.body.records.map((record) => record.offset)).toEqual(['0', '1', '2']);
  });

  it('produces a message encoded with an Avro schema and reads it back decoded', async () => {
    await stack.api('POST', '/api/topics', { name: 'payments-produced', partitions: 2 });
    const produced = await stack.api<{ partition: number; offset: string }>(
      'POST',
      '/api/topics/payments-produced/messages',
      {
        partition: 1,
        key: 'p-1',
        value: JSON.stringify({ id: 9, amount: 1.5, cents: 150 }),
        valueEncoding: 'schema',
        valueSchema: PAYMENT_SCHEMA,
        headers: [{ key: 'origin', value: 'console' }],
      },
    );
    expect(produced.status).toBe(201);
    expect(produced.body).toMatchObject({ partition: 1, offset: '0' });
    const subjects = await stack.api<string[]>('GET', '/api/schemas/subjects');
    expect(subjects.body).toContain('payments-produced-value');

    const browsed = await stack.api<{ records: BrowsedRecord[] }>(
      'GET',
      '/api/topics/payments-produced/messages?partition=1',
    );
    expect(browsed.body.records).toHaveLength(1);
    expect(browsed.body.records[0].value).toMatchObject({
      encoding: 'avro',
      value: { id: 9, amount: 1.5, cents: 150 },
    });

    const mismatch = await stack.api<{ error: string }>('POST', '/api/topics/payments-produced/messages', {
      value: JSON.stringify({ id: 'not a number' }),
      valueEncoding: 'schema',
      valueSchema: PAYMENT_SCHEMA,
    });
    expect(mismatch.status).toBe(400);
    expect(mismatch.body.error).toMatch(/could not be encoded/);
  });
});

describe('console API: live tail', { timeout: 120_000 }, () => {
  it('pushes new records as server-sent events, decoded', async () => {
    await stack.api('POST', '/api/topics', { name: 'tailed', partitions: 2 });
    await kafka.produce([{ topic: 'tailed', value: Buffer.from('old') }]);
    const abort = new AbortController();
    const response = await fetch(`${stack.console.url}/api/topics/tailed/tail`, { signal: abort.signal });
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    let received = '';
    // The stream is open once its first comment arrives: what is produced from now on is pushed.
    while (!received.includes(': tailing')) received += decoder.decode((await reader.read()).value);
    const producing = (async () => {
      // The tail starts at each partition's end when it first fetches: produce until a record arrives.
      for (let attempt = 0; attempt < 100 && !received.includes('event: record'); attempt++) {
        await kafka.produce([
          { topic: 'tailed', key: Buffer.from('new'), value: Buffer.from('{"fresh":true}') },
        ]);
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    })();
    while (!received.includes('event: record')) received += decoder.decode((await reader.read()).value);
    await producing;
    abort.abort();
    const data = received.split('event: record\ndata: ')[1].split('\n')[0];
    const record = JSON.parse(data) as BrowsedRecord;
    expect(record.key).toMatchObject({ encoding: 'text', value: 'new' });
    expect(record.value).toMatchObject({ encoding: 'json', value: { fresh: true } });
    expect(received).not.toContain('"old"');
  });

  it('answers a missing topic with a 404 before streaming', async () => {
    const missing = await stack.api<{ error: string }>('GET', '/api/topics/nowhere/tail');
    expect(missing.status).toBe(404);
  });
});

describe('console API: consumer groups', { timeout: 120_000 }, () => {
  it('shows lag per partition and in total, resets an inactive group, deletes it', async () => {
    await stack.api('POST', '/api/topics', { name: 'clicks', partitions: 2 });
    const records = Array.from({ length: 10 }, (_, index) => ({
      topic: 'clicks',
      partition: index % 2,
      value: Buffer.from(`click ${index}`),
    }));
    await kafka.produce(records);
    // The group has read 2 records of each partition (committed offset 2 of 5): lag 3 + 3.
    await kafka.groups.resetOffsets({
      group: 'clickers',
      topic: 'clicks',
      to: { kind: 'offset', offset: 2n },
      execute: true,
    });

    const group = await stack.api<{
      state: string;
      inactive: boolean;
      totalLag: string;
      offsets: { partition: number; lag: string }[];
    }>('GET', '/api/groups/clickers');
    expect(group.status).toBe(200);
    expect(group.body.totalLag).toBe('6');
    expect(group.body.offsets).toHaveLength(2);

    const list = await stack.api<{ groups: { id: string; totalLag: string }[] }>('GET', '/api/groups');
    expect(list.body.groups.find((entry) => entry.id === 'clickers')).toMatchObject({ totalLag: '6' });

    const topic = await stack.api<{ groups: { id: string; lag: string }[] }>('GET', '/api/topics/clicks');
    expect(topic.body.groups).toEqual([expect.objectContaining({ id: 'clickers', lag: '6' })]);

    expect(group.body.inactive).toBe(true);
    const reset = await stack.api('POST', '/api/groups/clickers/reset', { topic: 'clicks', to: 'latest' });
    expect(reset.status).toBe(200);
    const after = await stack.api<{ totalLag: string }>('GET', '/api/groups/clickers');
    expect(after.body.totalLag).toBe('0');

    expect((await stack.api('DELETE', '/api/groups/clickers')).status).toBe(200);
    const gone = await stack.api<{ groups: { id: string }[] }>('GET', '/api/groups');
    expect(gone.body.groups.some((entry) => entry.id === 'clickers')).toBe(false);
  });
});
