// The request bodies of /ksql, /query and /query-stream, checked by hand so that a bad one gets
// ksqlDB's generic_error (40000) rather than a schema validator's wording.
import type { PropertyOverrides, StatementRequest } from '../engine/api.js';
import { streamsPropertyAlias } from '../engine/property-names.js';
import { BadRequestError } from './errors.js';

type Json = Record<string, unknown>;

function asObject(body: unknown): Json {
  if (body === null || typeof body !== 'object' || Array.isArray(body))
    throw new BadRequestError('the request body must be a JSON object');
  return body as Json;
}

function properties(value: unknown, field: string): PropertyOverrides | undefined {
  if (value === undefined || value === null) return undefined;
  const object = asField(value, field);
  const out: Record<string, string | number | boolean> = {};
  for (const [name, item] of Object.entries(object)) {
    const text =
      typeof item === 'string' || typeof item === 'number' || typeof item === 'boolean'
        ? item
        : item === null
          ? undefined
          : JSON.stringify(item);
    if (text === undefined) continue;
    out[name] = text;
    const alias = streamsPropertyAlias(name);
    if (alias !== undefined && out[alias] === undefined) out[alias] = text;
  }
  return out;
}

function variables(value: unknown): Readonly<Record<string, string>> | undefined {
  if (value === undefined || value === null) return undefined;
  const object = asField(value, 'sessionVariables');
  // ksqlDB takes values of any type and substitutes their text.
  return Object.fromEntries(
    Object.entries(object).map(([name, item]) => [
      name,
      typeof item === 'string' ? item : JSON.stringify(item),
    ]),
  );
}

function asField(value: unknown, field: string): Json {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new BadRequestError(`${field} must be a JSON object`);
  return value as Json;
}

function sqlText(value: unknown, field: string): string {
  if (typeof value !== 'string' || value.trim() === '')
    throw new BadRequestError(`the request must have a non-empty "${field}" string`);
  return value;
}

export interface KsqlRequestBody extends StatementRequest {
  readonly commandSequenceNumber?: number;
}

/** /ksql and /query: {ksql, streamsProperties, sessionVariables, commandSequenceNumber}. */
export function readKsqlRequest(body: unknown): KsqlRequestBody {
  const object = asObject(body);
  const sequence = object.commandSequenceNumber;
  return {
    sql: sqlText(object.ksql, 'ksql'),
    properties: properties(object.streamsProperties ?? object.properties, 'streamsProperties'),
    variables: variables(object.sessionVariables),
    ...(typeof sequence === 'number' ? { commandSequenceNumber: sequence } : {}),
  };
}

/** /query-stream: {sql, properties, sessionVariables}. */
export function readQueryStreamRequest(body: unknown): StatementRequest {
  const object = asObject(body);
  return {
    sql: sqlText(object.sql, 'sql'),
    properties: properties(object.properties, 'properties'),
    variables: variables(object.sessionVariables),
  };
}

/** /close-query: {queryId}. */
export function readCloseQueryRequest(body: unknown): string {
  const object = asObject(body);
  if (typeof object.queryId !== 'string' || object.queryId === '')
    throw new BadRequestError('the request must have a "queryId" string');
  return object.queryId;
}
