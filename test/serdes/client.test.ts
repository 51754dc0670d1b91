import { describe, expect, it } from 'vitest';
import {
  encodePayload,
  encodeWire,
  parseSchema,
  recordNameOf,
  REGISTRY_CONTENT_TYPE,
  SchemaRegistryClient,
  SchemaRegistryError,
  Serdes,
  subjectName,
} from '../../src/serdes/index.js';

interface Recorded {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: unknown;
}

/**
 * An in-memory stand-in for the registry's REST answers (the service is built separately):
 * records each request the client builds and answers from a small table.
 */
function registryFetch(): { fetch: typeof fetch; requests: Recorded[] } {
  const requests: Recorded[] = [];
  const schemas: {
    id: number;
    subject: string;
    version: number;
    schema: string;
    schemaType?: string;
    references?: unknown[];
  }[] = [];
  const answer = (status: number, body: unknown): Response =>
    new Response(JSON.stringify(body), { status, headers: { 'content-type': REGISTRY_CONTENT_TYPE } });
  const fetchImpl = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const url = String(input);
    const body = init?.body
      ? (JSON.parse(String(init.body)) as { schema: string; schemaType?: string; references?: unknown[] })
      : undefined;
    requests.push({
      method: init?.method ?? 'GET',
      url,
      headers: init?.headers as Record<string, string>,
      body,
    });
    const path = new URL(url).pathname;
    let match = /^\/subjects\/([^/]+)\/versions$/.exec(path);
    if (match && init?.method === 'POST' && body) {
      const subject = decodeURIComponent(match[1]);
      const existing = schemas.find((entry) => entry.subject === subject && entry.schema === body.schema);
      if (existing) return answer(200, { id: existing.id });
      const id = schemas.length + 1;
      schemas.push({
        id,
        subject,
        version: schemas.filter((entry) => entry.subject === subject).length + 1,
        ...body,
      });
      return answer(200, { id });
    }
    match = /^\/schemas\/ids\/(\d+)$/.exec(path);
    if (match) {
      const found = schemas.find((entry) => entry.id === Number(match?.[1]));
      if (!found) return answer(404, { error_code: 40403, message: 'Schema not found' });
      return answer(200, {
        schema: found.schema,
        schemaType: found.schemaType,
        references: found.references,
      });
    }
    match = /^\/subjects\/([^/]+)\/versions\/latest$/.exec(path);
    if (match) {
      const subject = decodeURIComponent(match[1]);
      const found = schemas.filter((entry) => entry.subject === subject).at(-1);
      if (!found) return answer(404, { error_code: 40401, message: `Subject '${subject}' not found.` });
      return answer(200, found);
    }
    return answer(404, { error_code: 404, message: 'HTTP 404 Not Found' });
  };
  return { fetch: fetchImpl as typeof fetch, requests };
}

const AVRO =
  '{"type":"record","name":"Payment","namespace":"com.bank","fields":[{"name":"amount","type":"double"}]}';
const PROTO =
  'syntax = "proto3"; package shop; message Order { string id = 1; } message Refund { string order_id = 1; }';

describe('subject name strategies', () => {
  it('TopicNameStrategy, RecordNameStrategy, TopicRecordNameStrategy', () => {
    const avro = parseSchema('AVRO', AVRO);
    expect(subjectName('TopicNameStrategy', 'payments', false)).toBe('payments-value');
    expect(subjectName('TopicNameStrategy', 'payments', true)).toBe('payments-key');
    expect(subjectName('RecordNameStrategy', 'payments', false, () => recordNameOf(avro))).toBe(
      'com.bank.Payment',
    );
    expect(subjectName('TopicRecordNameStrategy', 'payments', false, () => recordNameOf(avro))).toBe(
      'payments-com.bank.Payment',
    );
    const proto = parseSchema('PROTOBUF', PROTO);
    expect(recordNameOf(proto)).toBe('shop.Order');
    expect(recordNameOf(proto, 'shop.Refund')).toBe('shop.Refund');
    expect(recordNameOf(parseSchema('JSON', '{"title":"Invoice","type":"object"}'))).toBe('Invoice');
  });
});

describe('SchemaRegistryClient request building', () => {
  it('registers with the registry content type and omits schemaType for Avro', async () => {
    const { fetch, requests } = registryFetch();
    const client = new SchemaRegistryClient({
      url: 'http://registry:8081/',
      fetch,
      headers: { authorization: 'Basic x' },
    });
    expect(await client.register('a/b-value', { schemaType: 'AVRO', schema: AVRO })).toBe(1);
    expect(await client.register('a/b-value', { schemaType: 'AVRO', schema: AVRO })).toBe(1);
    expect(requests).toHaveLength(1); // cached
    expect(requests[0]).toMatchObject({
      method: 'POST',
      url: 'http://registry:8081/subjects/a%2Fb-value/versions',
      body: { schema: AVRO },
      headers: { 'content-type': REGISTRY_CONTENT_TYPE, authorization: 'Basic x' },
    });
    await client.register('orders-value', {
      schemaType: 'PROTOBUF',
      schema: PROTO,
      references: [{ name: 'x.proto', subject: 'x', version: 1 }],
    });
    expect(requests[1].body).toEqual({
      schema: PROTO,
      schemaType: 'PROTOBUF',
      references: [{ name: 'x.proto', subject: 'x', version: 1 }],
    });
  });

  it('caches schemas by id and reports registry errors with their error_code', async () => {
    const { fetch, requests } = registryFetch();
    const client = new SchemaRegistryClient({ url: 'http://registry:8081', fetch });
    await client.register('t-value', { schemaType: 'AVRO', schema: AVRO });
    const first = await client.getSchemaById(1);
    await client.getSchemaById(1);
    expect(first).toMatchObject({ id: 1, schemaType: 'AVRO', schema: AVRO, references: [] });
    expect(requests.filter((request) => request.url.endsWith('/schemas/ids/1'))).toHaveLength(1);
    const error = await client.getSchemaById(99).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(SchemaRegistryError);
    expect(error).toMatchObject({ status: 404, errorCode: 40403 });
  });

  it('says when the registry cannot be reached', async () => {
    const client = new SchemaRegistryClient({ url: 'http://127.0.0.1:1', timeoutMs: 2000 });
    await expect(client.getLatest('x')).rejects.toThrow(
      /cannot reach the schema registry at http:\/\/127\.0\.0\.1:1: it is not reachable.*venice status/,
    );
  });

  it('retries a registry that answers 503 while it is asked to, and not otherwise', async () => {
    let unavailable = 2;
    let calls = 0;
    const starting: typeof fetch = () => {
      calls += 1;
      const status = unavailable-- > 0 ? 503 : 200;
      const body =
        status === 503 ? { error_code: 50003, message: 'starting' } : { compatibilityLevel: 'BACKWARD' };
      return Promise.resolve(new Response(JSON.stringify(body), { status }));
    };
    const patient = new SchemaRegistryClient({
      url: 'http://r:8081',
      fetch: starting,
      retryUnavailableMs: () => 10_000,
    });
    expect(await patient.compatibility()).toBe('BACKWARD');
    expect(calls).toBe(3);
    unavailable = 1;
    const impatient = new SchemaRegistryClient({ url: 'http://r:8081', fetch: starting });
    await expect(impatient.compatibility()).rejects.toMatchObject({
      status: 503,
      errorCode: 50003,
      message: expect.stringMatching(
        /registry at http:\/\/r:8081 is not available \(HTTP 503: starting\).*venice status/,
      ),
    });
  });
});

describe('Serdes', () => {
  it('serializes with a schema (auto-registering under the strategy subject) and deserializes by id', async () => {
    const { fetch, requests } = registryFetch();
    const serdes = new Serdes(new SchemaRegistryClient({ url: 'http://registry:8081', fetch }));
    const bytes = await serdes.serialize('payments', { amount: 12.5 }, { schemaType: 'AVRO', schema: AVRO });
    expect([...bytes.subarray(0, 5)]).toEqual([0, 0, 0, 0, 1]);
    expect(requests[0].url).toBe('http://registry:8081/subjects/payments-value/versions');
    expect(await serdes.deserialize(bytes)).toEqual({ amount: 12.5 });
    expect(await serdes.deserialize(bytes)).toEqual({ amount: 12.5 });
    expect(requests.filter((request) => request.url.includes('/schemas/ids/'))).toHaveLength(1);

    const keyBytes = await serdes.serialize(
      'payments',
      { amount: 1 },
      { schema: AVRO, isKey: true, strategy: 'TopicRecordNameStrategy' },
    );
    expect(requests.at(-1)?.url).toBe('http://registry:8081/subjects/payments-com.bank.Payment/versions');
    expect(await serdes.deserialize(keyBytes)).toEqual({ amount: 1 });
  });

  it('serializes with the latest schema of a subject and decodes Protobuf message indexes', async () => {
    const { fetch } = registryFetch();
    const client = new SchemaRegistryClient({ url: 'http://registry:8081', fetch });
    await client.register('orders-value', { schemaType: 'PROTOBUF', schema: PROTO });
    const serdes = new Serdes(client);
    const bytes = await serdes.serialize('orders', { order_id: 'o-1' }, { messageName: 'shop.Refund' });
    expect([...bytes.subarray(5, 7)]).toEqual([2, 2]);
    expect(await serdes.decode(bytes)).toEqual({
      value: { order_id: 'o-1' },
      schemaId: 1,
      schemaType: 'PROTOBUF',
      messageIndexes: [1],
    });
  });

  it('decodes bytes framed elsewhere and refuses unframed data', async () => {
    const { fetch } = registryFetch();
    const client = new SchemaRegistryClient({ url: 'http://registry:8081', fetch });
    const id = await client.register('j-value', { schemaType: 'JSON', schema: '{"type":"object"}' });
    const serdes = new Serdes(client);
    const framed = encodeWire(id, encodePayload(parseSchema('JSON', '{"type":"object"}'), { a: 1 }).payload);
    expect(await serdes.deserialize(framed)).toEqual({ a: 1 });
    await expect(serdes.deserialize(Buffer.from('{"a":1}'))).rejects.toThrow(/magic byte 123/);
  });
});
