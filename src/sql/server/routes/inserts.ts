// POST /inserts-stream: a first line {"target": "S"}, then one JSON object a line, each a row to write
// into stream S. Each row is acknowledged in order, {"status":"ok","seq":n}, as soon as it is written;
// a row that cannot be written gets {"status":"error","seq":n,...} and ends the response, as in ksqlDB.
// A target that cannot be written to fails the request before any row (400, as ksqlDB).
// Acks are one a line, or one JSON array when the client accepts application/json.
import type { Readable } from 'node:stream';
import type { FastifyPluginAsync } from 'fastify';
import { JsonObject, readJson, type JsonValue } from '../../../serdes/exact-json.js';
import type { SourceDescription } from '../../engine/entities.js';
import { ERROR_CODES } from '../../engine/errors.js';
import { processingLogTopic } from '../../runtime/processing-log.js';
import type { RouteContext } from '../context.js';
import { BadRequestError, toHttpError } from '../errors.js';
import { DELIMITED, JSON_TYPE, negotiate } from '../media-types.js';
import { readLines } from '../lines.js';
import type { RawResponse } from '../stream-query.js';

export const INSERTS_PATH = '/inserts-stream';

export const insertsRoutes: FastifyPluginAsync<RouteContext> = async (app, context) => {
  app.post(INSERTS_PATH, async (request, reply) => {
    const body = request.body as Readable | undefined;
    if (!body || typeof (body as Partial<Readable>).on !== 'function')
      throw new BadRequestError('the request body must be a target line and then one JSON row a line');
    const lines = readLines(body)[Symbol.asyncIterator]();
    const first = await lines.next();
    if (first.done) throw new BadRequestError('the request body must start with {"target": "<stream>"}');
    const { name: target, keyColumns } = await checkTarget(context, parseTarget(first.value));
    const contentType = negotiate(request.headers, [DELIMITED, JSON_TYPE], DELIMITED);
    reply.hijack();
    const response = reply.raw;
    response.writeHead(200, { 'content-type': contentType });
    const acks = ackWriter(response, contentType === JSON_TYPE);
    let seq = 0;
    for (;;) {
      const next = await lines.next();
      if (next.done || response.destroyed) break;
      if (next.value.trim() === '') continue;
      const current = seq++;
      try {
        const row = parseRow(next.value);
        requireKeys(row, keyColumns);
        await context.engine.insertRow(target, row);
        acks.write({ status: 'ok', seq: current });
      } catch (error) {
        acks.write({ status: 'error', seq: current, ...rowError(error) });
        break;
      }
    }
    acks.end();
  });
};

/**
 * The target's catalog name, checked before any row is read, as ksqlDB does: an unknown, windowed or
 * read-only target fails the whole request (400, error_code 40001) rather than its first row. The name
 * is an identifier (`s` is S, `` `s` `` is s); anything else is refused, never put into SQL.
 */
async function checkTarget(
  context: RouteContext,
  target: string,
): Promise<{ name: string; keyColumns: string[] }> {
  const unquoted = /^[A-Za-z_][A-Za-z0-9_]*$/.test(target) ? target.toUpperCase() : undefined;
  const quoted = /^`([^`]+)`$/.exec(target)?.[1];
  const name = unquoted ?? quoted;
  if (name === undefined)
    throw new BadRequestError(`Invalid target name: ${target}`, 400, ERROR_CODES.BAD_STATEMENT);
  let description: SourceDescription | undefined;
  try {
    const [entity] = await context.engine.execute({ sql: `DESCRIBE \`${name}\`;` });
    if (entity?.['@type'] === 'sourceDescription') description = entity.sourceDescription;
  } catch {
    description = undefined;
  }
  if (description === undefined)
    throw new BadRequestError(
      `Cannot insert values into an unknown stream/table: \`${name}\``,
      400,
      ERROR_CODES.BAD_STATEMENT,
    );
  if (description.windowType)
    throw new BadRequestError(
      'Cannot insert values into windowed stream/table',
      400,
      ERROR_CODES.BAD_STATEMENT,
    );
  const { topic } = description;
  const logTopic = context.info.processingLogTopic ?? processingLogTopic(context.engine.serviceId);
  if (topic.startsWith('_confluent-ksql-') || topic === logTopic)
    throw new BadRequestError(
      `Cannot insert values into read-only topic: ${topic}`,
      400,
      ERROR_CODES.BAD_STATEMENT,
    );
  const keyColumns = description.fields.filter((field) => field.type === 'KEY').map((field) => field.name);
  return { name, keyColumns };
}

/** ksqlDB's inserts need every key column (INSERT VALUES may leave a stream's key out; this may not). */
function requireKeys(row: Readonly<Record<string, unknown>>, keyColumns: readonly string[]): void {
  for (const key of keyColumns) {
    const given = Object.keys(row).find((name) => name === key || name.toUpperCase() === key);
    if (given === undefined || row[given] === null)
      throw new BadRequestError(`Key field must be specified: ${key}`);
  }
}

/**
 * A row's failure as its ack reports it: a row that does not fit the target is the client's error
 * (40000, as ksqlDB's coercion errors are); anything else the server's (50000).
 */
function rowError(error: unknown): { error_code: number; message: string } {
  const { status, body } = toHttpError(error);
  if (status >= 500) return { error_code: body.error_code, message: body.message };
  return { error_code: ERROR_CODES.BAD_REQUEST, message: body.message };
}

function parseTarget(line: string): string {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    throw new BadRequestError('the first line must be a JSON object such as {"target": "S"}');
  }
  const target = (value as { target?: unknown } | null)?.target;
  if (typeof target !== 'string' || target === '')
    throw new BadRequestError('the first line must name the stream to insert into: {"target": "S"}');
  return target;
}

/**
 * One row, read with the exact JSON reader (src/serdes): JSON.parse would turn 9223372036854775807 or a
 * DECIMAL(38, 10) into a rounded double, so numbers it cannot hold stay JsonNumberText, which the engine
 * takes as the literal's text.
 */
function parseRow(line: string): Record<string, unknown> {
  let row: JsonValue;
  try {
    row = readJson(line);
  } catch {
    throw new BadRequestError('Invalid JSON in inserts stream');
  }
  if (!(row instanceof JsonObject))
    throw new BadRequestError('each row must be a JSON object of column names and values');
  return plainObject(row);
}

function plainObject(object: JsonObject): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  // A name given twice keeps its last value, as JSON.parse does.
  object.names.forEach((name, index) => {
    out[name] = plainValue(object.values[index]);
  });
  return out;
}

function plainValue(value: JsonValue): unknown {
  if (value instanceof JsonObject) return plainObject(value);
  if (Array.isArray(value)) return value.map(plainValue);
  return value;
}

function ackWriter(response: RawResponse, asArray: boolean): { write(ack: object): void; end(): void } {
  let count = 0;
  return {
    write(ack) {
      const text = JSON.stringify(ack);
      (response as NodeJS.WritableStream).write(
        asArray ? `${count === 0 ? '[' : ',\n'}${text}` : `${text}\n`,
      );
      count++;
    },
    end() {
      if (response.destroyed) return;
      response.end(asArray ? (count === 0 ? '[]' : ']') : '');
    },
  };
}
