// /api/topics/:name/messages: browse (newest first, from an offset, or from a timestamp; one partition
// or all) with keys, values and headers decoded; and produce one message, optionally through a schema.
import type { FastifyPluginAsync } from 'fastify';
import type {
  ConsumedRecord,
  Kafka,
  ProduceRecord,
  StartPosition,
  TopicDescription,
} from '../../client/index.js';
import type { SchemaType, Serdes } from '../../serdes/index.js';
import { DEFAULT_BROWSE_LIMIT, MAX_BROWSE_LIMIT } from '../defaults.js';
import { badRequest } from '../errors.js';
import type { ApiContext } from './context.js';
import { bodyObject, optionalBigInt, optionalInteger, optionalString, optionalTimestamp } from './params.js';

/** How long one browse may read before answering with what it has. */
const BROWSE_TIMEOUT_MS = 10_000;

export interface BrowseRequest {
  partition?: number;
  /** Read forward from this offset (with one partition, or the same offset in each). */
  offset?: bigint;
  /** Read forward from the first record at or after this time. */
  timestamp?: bigint;
  limit: number;
}

function partitionsOf(described: TopicDescription, partition: number | undefined) {
  if (partition === undefined) return described.partitions;
  const found = described.partitions.filter((entry) => entry.partition === partition);
  if (found.length === 0)
    throw badRequest(
      `topic ${described.name} has no partition ${partition}`,
      `choose one of 0 to ${described.partitions.length - 1}`,
    );
  return found;
}

async function read(
  kafka: Kafka,
  topic: string,
  options: { from: StartPosition; partitions: number[]; count?: number },
) {
  const records: ConsumedRecord[] = [];
  const signal = AbortSignal.timeout(BROWSE_TIMEOUT_MS);
  try {
    for await (const record of kafka.consume({ topic, ...options, stopAtEnd: true, signal }))
      records.push(record);
  } catch (error) {
    // A read cut short by the time limit answers with what it read.
    if (!signal.aborted) throw error;
  }
  return records;
}

/** The records asked for, newest first unless read forward from an offset or a timestamp. */
export async function browse(kafka: Kafka, described: TopicDescription, request: BrowseRequest) {
  const partitions = partitionsOf(described, request.partition);
  const chosen = partitions.map((partition) => partition.partition);
  const empty = partitions.every((partition) => partition.highOffset <= partition.lowOffset);
  if (empty) return { order: 'newest' as const, records: [] };
  if (request.offset !== undefined) {
    const offset = request.offset;
    const offsets = new Map(
      partitions
        .filter((partition) => offset < partition.highOffset)
        .map((partition) => [
          partition.partition,
          offset > partition.lowOffset ? offset : partition.lowOffset,
        ]),
    );
    if (offsets.size === 0) return { order: 'oldest' as const, records: [] };
    const records = await read(kafka, described.name, {
      from: { kind: 'positions', offsets },
      partitions: [...offsets.keys()],
    });
    return { order: 'oldest' as const, records: forwardFirst(records, request.limit) };
  }
  if (request.timestamp !== undefined) {
    const records = await read(kafka, described.name, {
      from: { kind: 'timestamp', timestamp: request.timestamp },
      partitions: chosen,
    });
    return { order: 'oldest' as const, records: forwardFirst(records, request.limit) };
  }
  const offsets = new Map(
    partitions
      .filter((partition) => partition.highOffset > partition.lowOffset)
      .map((partition) => {
        const back = partition.highOffset - BigInt(request.limit);
        return [partition.partition, back > partition.lowOffset ? back : partition.lowOffset];
      }),
  );
  const records = await read(kafka, described.name, {
    from: { kind: 'positions', offsets },
    partitions: [...offsets.keys()],
  });
  const newest = [...records].sort(byTime).reverse().slice(0, request.limit);
  return { order: 'newest' as const, records: newest };
}

function byTime(a: ConsumedRecord, b: ConsumedRecord): number {
  if (a.timestamp !== b.timestamp) return a.timestamp < b.timestamp ? -1 : 1;
  if (a.partition !== b.partition) return a.partition - b.partition;
  return a.offset < b.offset ? -1 : a.offset > b.offset ? 1 : 0;
}

/** Read forward: the first `limit` records by time across partitions. */
function forwardFirst(records: ConsumedRecord[], limit: number): ConsumedRecord[] {
  return [...records].sort(byTime).slice(0, limit);
}

/** How one side (key or value) of a message to produce is given. */
export type ProducedEncoding = 'text' | 'json' | 'schema' | 'null';

interface FieldSpec {
  data: string | null;
  encoding: ProducedEncoding;
  schemaType?: SchemaType;
  schema?: string;
  subject?: string;
}

function fieldSpec(body: Record<string, unknown>, side: 'key' | 'value'): FieldSpec {
  const raw = body[side];
  const data = raw === undefined || raw === null ? null : typeof raw === 'string' ? raw : JSON.stringify(raw);
  const encoding = (optionalString(body[`${side}Encoding`], `${side}Encoding`) ??
    (data === null ? 'null' : 'text')) as ProducedEncoding;
  if (!['text', 'json', 'schema', 'null'].includes(encoding))
    throw badRequest(`${side}Encoding must be text, json, schema or null, got ${JSON.stringify(encoding)}`);
  const schemaType = (optionalString(body[`${side}SchemaType`], `${side}SchemaType`) ?? 'AVRO').toUpperCase();
  if (!['AVRO', 'JSON', 'PROTOBUF'].includes(schemaType))
    throw badRequest(`${side}SchemaType must be AVRO, JSON or PROTOBUF, got ${JSON.stringify(schemaType)}`);
  return {
    data,
    encoding,
    schemaType: schemaType as SchemaType,
    schema: optionalString(body[`${side}Schema`], `${side}Schema`) || undefined,
    subject: optionalString(body[`${side}Subject`], `${side}Subject`) || undefined,
  };
}

function parseJson(text: string, side: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw badRequest(
      `the ${side} is not valid JSON: ${(error as Error).message}`,
      `fix the ${side}, or send it as text`,
    );
  }
}

async function encodeField(serdes: Serdes | null, topic: string, spec: FieldSpec, side: 'key' | 'value') {
  if (spec.encoding === 'null' || spec.data === null) return null;
  if (spec.encoding === 'text') return Buffer.from(spec.data);
  const parsed = parseJson(spec.data, side);
  if (spec.encoding === 'json') return Buffer.from(JSON.stringify(parsed));
  if (serdes === null)
    throw badRequest(
      `cannot encode the ${side} with a schema: the console runs without a schema registry`,
      'start the registry, or send the value as JSON',
    );
  if (spec.schema === undefined && spec.subject === undefined)
    throw badRequest(
      `the ${side} is to be encoded with a schema, but neither ${side}Schema nor ${side}Subject is given`,
      `give the schema text in ${side}Schema, or a registered subject in ${side}Subject (its latest version is used)`,
    );
  try {
    return await serdes.serialize(topic, parsed, {
      isKey: side === 'key',
      schema: spec.schema,
      schemaType: spec.schemaType,
      subject: spec.subject,
    });
  } catch (error) {
    throw badRequest(
      `the ${side} could not be encoded: ${(error as Error).message}`,
      'check that it matches the schema',
    );
  }
}

export const messageRoutes: FastifyPluginAsync<ApiContext> = async (app, context) => {
  const { kafka, decoder } = context;

  app.get<{ Params: { name: string }; Querystring: Record<string, string | undefined> }>(
    '/api/topics/:name/messages',
    async (request) => {
      const query = request.query;
      const limit = Math.min(
        optionalInteger(query.limit, 'limit', 1) ?? DEFAULT_BROWSE_LIMIT,
        MAX_BROWSE_LIMIT,
      );
      const browseRequest: BrowseRequest = {
        partition: optionalInteger(query.partition, 'partition'),
        offset: optionalBigInt(query.offset, 'offset'),
        timestamp: optionalTimestamp(query.timestamp, 'timestamp'),
        limit,
      };
      if (browseRequest.offset !== undefined && browseRequest.timestamp !== undefined)
        throw badRequest('give either offset or timestamp, not both');
      const described = await kafka.topics.describe(request.params.name);
      const result = await browse(kafka, described, browseRequest);
      return {
        topic: described.name,
        order: result.order,
        limit,
        records: await Promise.all(result.records.map((record) => decoder.record(record))),
      };
    },
  );

  app.post<{ Params: { name: string } }>('/api/topics/:name/messages', async (request, reply) => {
    const topic = request.params.name;
    const body = bodyObject(request.body);
    const headersGiven = body.headers ?? [];
    if (!Array.isArray(headersGiven))
      throw badRequest('headers must be an array of {"key": "...", "value": "..."}');
    const headers = headersGiven.map((header: unknown, index) => {
      const entry = bodyObject(header);
      if (typeof entry.key !== 'string' || entry.key === '')
        throw badRequest(`headers[${index}].key is required`);
      const value =
        entry.value === undefined || entry.value === null ? null : Buffer.from(String(entry.value));
      return { key: entry.key, value };
    });
    // Checks the topic exists before a schema is registered for it.
    await kafka.topics.describe(topic);
    const [key, value] = await Promise.all([
      encodeField(context.serdes, topic, fieldSpec(body, 'key'), 'key'),
      encodeField(context.serdes, topic, fieldSpec(body, 'value'), 'value'),
    ]);
    const record: ProduceRecord = { topic, key, value, headers };
    const partition = optionalInteger(body.partition, 'partition');
    if (partition !== undefined) record.partition = partition;
    const [produced] = await kafka.produce([record]);
    reply.code(201);
    return { topic, partition: produced.partition, offset: produced.offset };
  });
};
