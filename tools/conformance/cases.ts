// Loading ksqlDB's functional test files (qtt and rest shapes) into cases the runner can execute, with the
// `format` and `config` lists expanded: one case per entry, {FORMAT} / {CONFIG} substituted everywhere.
import fs from 'node:fs';
import path from 'node:path';
import { isJsonObject, parseJsonText, substituteText, type JsonValue } from './json-text.js';

export type JsonObject = { [key: string]: JsonValue };

export interface WindowSpec {
  readonly start: number;
  readonly end: number;
  readonly type: 'TIME' | 'SESSION';
}

export interface HeaderSpec {
  readonly key: string;
  /** base64 of the header value, or null. */
  readonly value: string | null;
}

/** An input or an expected output record. `key` undefined means the file gives none (a null key). */
export interface RecordSpec {
  readonly topic: string;
  readonly key?: JsonValue;
  readonly value: JsonValue;
  readonly timestamp?: number;
  readonly window?: WindowSpec;
  readonly headers?: readonly HeaderSpec[];
}

/** A topic the case declares up front, with schemas for the registry formats. */
export interface TopicSpec {
  readonly name: string;
  readonly partitions?: number;
  readonly keyFormat?: string;
  readonly valueFormat?: string;
  readonly keySchema?: JsonValue;
  readonly valueSchema?: JsonValue;
  /** The ids the statements refer to (KEY_SCHEMA_ID / VALUE_SCHEMA_ID). */
  readonly keySchemaId?: number;
  readonly valueSchemaId?: number;
  readonly keySchemaReferences?: readonly SchemaReferenceSpec[];
  readonly valueSchemaReferences?: readonly SchemaReferenceSpec[];
}

export interface SchemaReferenceSpec {
  readonly name: string;
  readonly format: string;
  readonly schema: JsonValue;
}

export interface ExpectedException {
  readonly type: string;
  readonly message: string;
}

export interface PostSource {
  readonly name: string;
  readonly type: string;
  readonly schema?: string;
  readonly keyFormat?: string;
  readonly valueFormat?: string;
}

export interface PostTopic {
  readonly name: string;
  readonly partitions?: number;
}

export interface PostConditions {
  readonly sources: readonly PostSource[];
  readonly topics: readonly PostTopic[];
  /** Regex (Java syntax, simple enough for JS) of topic names that must not exist. */
  readonly blacklist?: string;
}

/** A REST case's expected answer to one statement. */
export type RestResponse =
  | { readonly kind: 'admin'; readonly body: JsonObject }
  | { readonly kind: 'query'; readonly body: JsonValue[] };

export interface ConformanceCase {
  /** File name without .json, e.g. `project-filter`. */
  readonly file: string;
  readonly shape: 'qtt' | 'rest';
  /** The case's name, with the format/config entry appended as ksqlDB's runner does: `name - AVRO`. */
  readonly name: string;
  readonly statements: readonly string[];
  readonly properties: Readonly<Record<string, string>>;
  readonly topics: readonly TopicSpec[];
  readonly inputs: readonly RecordSpec[];
  readonly outputs: readonly RecordSpec[];
  readonly expectedException?: ExpectedException;
  readonly post?: PostConditions;
  readonly responses?: readonly RestResponse[];
  /** REST cases: an error the request must give (message and/or HTTP status). */
  readonly expectedError?: { readonly message?: string; readonly status?: number };
}

export interface CaseFile {
  readonly file: string;
  readonly path: string;
  readonly cases: readonly ConformanceCase[];
  /** Cases the file disables (`enabled: false`), not run nor counted. */
  readonly disabled: number;
}

export class CaseFormatError extends Error {
  override readonly name = 'CaseFormatError';
}

/** The .json case files under a directory, its qtt/ and rest/ folders included, sorted by path. */
export function findCaseFiles(directory: string): string[] {
  const found: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.isFile() && entry.name.endsWith('.json')) found.push(full);
    }
  };
  walk(directory);
  return found.sort();
}

export function loadCaseFile(filePath: string): CaseFile {
  const file = path.basename(filePath, '.json');
  const root = parseJsonText(fs.readFileSync(filePath, 'utf8'));
  if (!isJsonObject(root) || !Array.isArray(root.tests)) {
    throw new CaseFormatError(`${filePath}: expected an object with a "tests" array`);
  }
  const cases: ConformanceCase[] = [];
  let disabled = 0;
  for (const raw of root.tests) {
    if (!isJsonObject(raw)) throw new CaseFormatError(`${filePath}: a test is not an object`);
    if (raw.enabled === false) {
      disabled++;
      continue;
    }
    for (const expanded of expandCase(raw)) cases.push(toCase(file, filePath, expanded));
  }
  return { file, path: filePath, cases, disabled };
}

/** One raw case per `format` entry and per `config` entry (both lists multiply), placeholders substituted. */
export function expandCase(raw: JsonObject): JsonObject[] {
  let variants: { value: JsonObject; suffix: string[] }[] = [{ value: raw, suffix: [] }];
  for (const [field, placeholder] of [
    ['format', '{FORMAT}'],
    ['config', '{CONFIG}'],
  ] as const) {
    const entries = raw[field];
    if (!Array.isArray(entries) || entries.length === 0) continue;
    variants = variants.flatMap((variant) =>
      entries.map((entry) => {
        const text = typeof entry === 'string' ? entry : String(entry);
        const substituted = substituteText(variant.value, placeholder, text) as JsonObject;
        return { value: substituted, suffix: [...variant.suffix, text] };
      }),
    );
  }
  return variants.map(({ value, suffix }) => {
    const name = typeof value.name === 'string' ? value.name : '(unnamed)';
    return { ...value, name: suffix.length ? `${name} - ${suffix.join(' - ')}` : name };
  });
}

function toCase(file: string, filePath: string, raw: JsonObject): ConformanceCase {
  const where = `${filePath}: case "${String(raw.name)}"`;
  const statements = raw.statements;
  if (!Array.isArray(statements) || !statements.every((s) => typeof s === 'string')) {
    throw new CaseFormatError(`${where}: "statements" must be an array of strings`);
  }
  const isRest =
    raw.responses !== undefined || raw.expectedError !== undefined || /[\\/]rest[\\/]/.test(filePath);
  return {
    file,
    shape: isRest ? 'rest' : 'qtt',
    name: String(raw.name),
    statements: statements as string[],
    properties: toProperties(raw.properties),
    topics: arrayOf(raw.topics).map((topic) => toTopic(topic, where)),
    inputs: arrayOf(raw.inputs).map((record) => toRecord(record, where)),
    outputs: arrayOf(raw.outputs).map((record) => toRecord(record, where)),
    expectedException: toExpectedException(raw.expectedException),
    post: toPost(raw.post),
    responses: raw.responses === undefined ? undefined : arrayOf(raw.responses).map(toResponse),
    expectedError: toExpectedError(raw.expectedError),
  };
}

function arrayOf(value: JsonValue | undefined): JsonValue[] {
  return Array.isArray(value) ? value : [];
}

function text(value: JsonValue | undefined): string | undefined {
  if (value === undefined || value === null) return undefined;
  return typeof value === 'string' ? value : String(value instanceof Object ? JSON.stringify(value) : value);
}

function num(value: JsonValue | undefined): number | undefined {
  if (value === undefined || value === null) return undefined;
  const result = Number(typeof value === 'object' ? (value as { text?: string }).text : value);
  return Number.isFinite(result) ? result : undefined;
}

function toProperties(value: JsonValue | undefined): Record<string, string> {
  const result: Record<string, string> = {};
  if (!isJsonObject(value)) return result;
  for (const [key, field] of Object.entries(value)) result[key] = text(field) ?? '';
  return result;
}

/** Formats appear as "AVRO" or as {"format": "AVRO", "features": [...], "properties": {...}}. */
function formatName(value: JsonValue | undefined): string | undefined {
  if (isJsonObject(value)) return text(value.format);
  return text(value);
}

function toTopic(value: JsonValue, where: string): TopicSpec {
  if (!isJsonObject(value) || typeof value.name !== 'string')
    throw new CaseFormatError(`${where}: bad topic entry`);
  return {
    name: value.name,
    partitions: num(value.partitions),
    keyFormat: formatName(value.keyFormat),
    valueFormat: formatName(value.valueFormat ?? value.format),
    keySchema: value.keySchema,
    valueSchema: value.valueSchema ?? value.schema,
    keySchemaId: num(value.keySchemaId),
    valueSchemaId: num(value.valueSchemaId),
    keySchemaReferences: toReferences(value.keySchemaReferences),
    valueSchemaReferences: toReferences(value.valueSchemaReferences),
  };
}

function toReferences(value: JsonValue | undefined): SchemaReferenceSpec[] | undefined {
  if (!Array.isArray(value)) return undefined;
  return value.filter(isJsonObject).map((reference) => ({
    name: String(reference.name),
    format: text(reference.format) ?? 'AVRO',
    schema: reference.schema ?? null,
  }));
}

function toWindow(value: JsonValue | undefined): WindowSpec | undefined {
  if (!isJsonObject(value)) return undefined;
  const type = String(value.type ?? 'time').toUpperCase() === 'SESSION' ? 'SESSION' : 'TIME';
  return { start: num(value.start) ?? 0, end: num(value.end) ?? 0, type };
}

function toRecord(value: JsonValue, where: string): RecordSpec {
  if (!isJsonObject(value) || typeof value.topic !== 'string')
    throw new CaseFormatError(`${where}: bad record`);
  const headers = Array.isArray(value.headers)
    ? value.headers.filter(isJsonObject).map((header) => ({
        key: String(header.KEY ?? header.key),
        value: text(header.VALUE ?? header.value) ?? null,
      }))
    : undefined;
  return {
    topic: value.topic,
    ...('key' in value ? { key: value.key } : {}),
    value: value.value ?? null,
    timestamp: num(value.timestamp),
    window: toWindow(value.window),
    headers,
  };
}

function toExpectedException(value: JsonValue | undefined): ExpectedException | undefined {
  if (!isJsonObject(value)) return undefined;
  return { type: text(value.type) ?? '', message: text(value.message) ?? '' };
}

function toExpectedError(value: JsonValue | undefined): ConformanceCase['expectedError'] {
  if (!isJsonObject(value)) return undefined;
  return { message: text(value.message), status: num(value.status) };
}

function toPost(value: JsonValue | undefined): PostConditions | undefined {
  if (!isJsonObject(value)) return undefined;
  const sources = arrayOf(value.sources)
    .filter(isJsonObject)
    .map((source) => ({
      name: String(source.name),
      type: String(source.type),
      schema: text(source.schema),
      keyFormat: formatName(source.keyFormat),
      valueFormat: formatName(source.valueFormat),
    }));
  const topicsBlock = isJsonObject(value.topics) ? value.topics : undefined;
  const topics = arrayOf(topicsBlock?.topics)
    .filter(isJsonObject)
    .map((topic) => ({ name: String(topic.name), partitions: num(topic.partitions) }));
  return { sources, topics, blacklist: text(topicsBlock?.blacklist) };
}

function toResponse(value: JsonValue): RestResponse {
  if (isJsonObject(value) && isJsonObject(value.admin)) return { kind: 'admin', body: value.admin };
  if (isJsonObject(value) && Array.isArray(value.query)) return { kind: 'query', body: value.query };
  if (isJsonObject(value) && Array.isArray(value.queryProto))
    return { kind: 'query', body: value.queryProto };
  return { kind: 'admin', body: {} };
}
