// Runs ksqlDB's format cases (qtt/json.json, delimited.json, kafka.json, ...) that our serdes alone can
// decide: `CREATE STREAM INPUT (...) WITH (...)` then `CREATE STREAM OUTPUT [WITH (...)] AS SELECT * FROM
// INPUT`. Each input record is deserialized with the source's serdes and serialized with the sink's, and the
// bytes must read back as the expected output. Cases that must fail are checked when the error is a format's.
// The case files are data outside the repo (../shared/ksql-conformance), read at run time.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Column } from '../../../src/sql/planner/schema.js';
import { parseStatements } from '../../../src/sql/parser/index.js';
import type { CreateAsSelect, CreateSource, Property } from '../../../src/sql/parser/ast.js';
import { fromAst } from '../../../src/sql/types/index.js';
import type { SchemaRegistryClient } from '../../../src/serdes/index.js';
import {
  SCHEMA_REGISTRY_FORMATS,
  createSerde,
  parseFormatProperties,
  validateSerdeTarget,
  type FormatName,
  type FormatOptions,
  type RowSerde,
  type SerdeTarget,
} from '../../../src/sql/formats/index.js';
import { JsonNumberText, JsonObject, readJson, type JsonValue } from '../../../src/serdes/exact-json.js';
import { writeJsonValue } from '../../../src/sql/formats/json/json-writer.js';

/** Each case writes its own subjects, so that cases do not meet the compatibility rules of others. */
let topicCounter = 0;

export interface PassthroughCase {
  readonly name: string;
  /** Runs the case; returns a description of the first mismatch, or undefined when it passes. */
  run(): Promise<string | undefined>;
}

interface Side {
  keyFormat: FormatName;
  valueFormat: FormatName;
  keyOptions: FormatOptions;
  valueOptions: FormatOptions;
  explicitWrap: boolean;
}

function props(properties: readonly Property[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const property of properties) {
    const value = property.value;
    const text =
      value.kind === 'StringLiteral'
        ? value.value
        : value.kind === 'NumberLiteral'
          ? value.text
          : value.kind === 'BooleanLiteral'
            ? String(value.value)
            : '';
    out.set(property.name, text);
  }
  return out;
}

function member(object: JsonValue | undefined, name: string): JsonValue | undefined {
  if (!(object instanceof JsonObject)) return undefined;
  const i = object.names.lastIndexOf(name);
  return i < 0 ? undefined : object.values[i];
}

/** The bytes a qtt record's key or value stands for, in a format. */
function toBytes(
  value: JsonValue | undefined,
  format: FormatName,
  columns: readonly Column[],
): Buffer | null {
  if (value === undefined || value === null) return null;
  if (format === 'DELIMITED' || (format === 'KAFKA' && typeof value === 'string')) {
    return Buffer.from(value as string, 'utf8');
  }
  if (format === 'KAFKA') {
    const kind = columns[0]?.type.kind;
    const text = value instanceof JsonNumberText ? value.text : String(value);
    const out = Buffer.alloc(kind === 'INTEGER' ? 4 : 8);
    if (kind === 'INTEGER') out.writeInt32BE(Number(text));
    else if (kind === 'BIGINT') out.writeBigInt64BE(BigInt(text));
    else out.writeDoubleBE(Number(text));
    return out;
  }
  if (format === 'NONE') return Buffer.from(typeof value === 'string' ? value : writeJsonValue(value));
  return Buffer.from(writeJsonValue(value), 'utf8');
}

/** Numbers equal by value (ksqlDB's harness compares 12.3650 and 12.365 as equal), the rest exactly. */
function jsonEqual(a: JsonValue, b: JsonValue, foldNames = false): boolean {
  const num = (v: JsonValue) =>
    typeof v === 'number' ? v : v instanceof JsonNumberText ? Number(v.text) : undefined;
  const na = num(a);
  const nb = num(b);
  if (na !== undefined || nb !== undefined) return na === nb;
  if (Array.isArray(a) || Array.isArray(b)) {
    return (
      Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => jsonEqual(x, b[i]))
    );
  }
  if (a instanceof JsonObject || b instanceof JsonObject) {
    if (!(a instanceof JsonObject && b instanceof JsonObject) || a.names.length !== b.names.length)
      return false;
    return a.names.every((name, i) => {
      const fold = (n: string) => (foldNames ? n.toUpperCase() : n);
      const j = b.names.findIndex((other) => fold(other) === fold(name));
      return j >= 0 && jsonEqual(a.values[i], b.values[j], foldNames);
    });
  }
  return a === b;
}

/** `foldNames`: Avro and Protobuf outputs are compared with field names in any case, as ksqlDB's harness does. */
function sameOutput(
  bytes: Buffer | null,
  expected: JsonValue | undefined,
  format: FormatName,
  foldNames = false,
): boolean {
  if (expected === undefined || expected === null) return bytes === null;
  if (bytes === null) return false;
  if (format === 'DELIMITED') return bytes.toString('utf8') === expected;
  if (format === 'KAFKA') {
    if (typeof expected === 'string') return bytes.toString('utf8') === expected;
    const number = expected instanceof JsonNumberText ? Number(expected.text) : (expected as number);
    if (bytes.length === 4) return bytes.readInt32BE() === number;
    return bytes.readBigInt64BE() === BigInt(number) || bytes.readDoubleBE() === number;
  }
  return jsonEqual(readJson(bytes.toString('utf8')), expected, foldNames);
}

function show(value: JsonValue | undefined): string {
  return value === undefined ? 'undefined' : writeJsonValue(value);
}

/** The cases of one qtt file that fit the pattern. */
export function passthroughCases(
  dir: string,
  file: string,
  registry?: SchemaRegistryClient,
): PassthroughCase[] {
  const document = readJson(readFileSync(join(dir, 'qtt', file), 'utf8'));
  const tests = member(document, 'tests') as JsonValue[];
  const cases: PassthroughCase[] = [];
  for (const test of tests) {
    const name = member(test, 'name') as string;
    if (member(test, 'format') !== undefined || member(test, 'properties') !== undefined) continue;
    if (process.env.QTT_DEBUG) console.log('case', name);
    const statements = (member(test, 'statements') as string[]) ?? [];
    let parsed;
    try {
      parsed = statements.map((text) => parseStatements(text)[0]);
    } catch {
      continue;
    }
    const source = parsed[0];
    // Tables drop null keys and header columns are not in the bytes: both are the runtime's business.
    if (source?.kind !== 'CreateSource' || source.sourceType !== 'STREAM' || source.columns.length === 0)
      continue;
    if (source.columns.some((c) => c.constraint?.kind === 'Headers' || c.constraint?.kind === 'Header'))
      continue;
    const sink = parsed[1] as CreateAsSelect | undefined;
    const passthrough =
      sink?.kind === 'CreateAsSelect' &&
      sink.query.select.length === 1 &&
      sink.query.select[0].kind === 'SelectAll' &&
      sink.query.where === undefined &&
      sink.query.partitionBy === undefined &&
      sink.query.groupBy === undefined &&
      sink.query.joins.length === 0 &&
      parsed.length === 2;
    // PROTOBUF's nullable representations (OPTIONAL, WRAPPER) are not supported yet.
    if (statements.some((text) => /protobuf_nullable_representation/i.test(text))) continue;
    const exception = member(test, 'expectedException');
    const expectedMessage = member(exception, 'message') as string | undefined;
    if (!passthrough && !(expectedMessage !== undefined && parsed.length === 1)) continue;
    cases.push({
      name,
      run: () => runCase(source, passthrough ? sink : undefined, test, expectedMessage, registry),
    });
  }
  return cases;
}

function columnsOf(source: CreateSource): { key: Column[]; value: Column[] } {
  const key: Column[] = [];
  const value: Column[] = [];
  for (const definition of source.columns) {
    const isKey = definition.constraint?.kind === 'Key' || definition.constraint?.kind === 'PrimaryKey';
    const column: Column = {
      name: definition.name.value,
      type: fromAst(definition.type),
      namespace: isKey ? 'KEY' : 'VALUE',
    };
    (isKey ? key : value).push(column);
  }
  return { key, value };
}

async function serdes(
  side: Side,
  columns: { key: Column[]; value: Column[] },
  topic: string,
  registry?: SchemaRegistryClient,
): Promise<{ key: RowSerde; value: RowSerde; targets: SerdeTarget[] }> {
  const keyTarget: SerdeTarget = {
    topic,
    isKey: true,
    columns: columns.key,
    format: side.keyFormat,
    options: side.keyOptions,
  };
  const valueTarget: SerdeTarget = {
    topic,
    isKey: false,
    columns: columns.value,
    format: side.valueFormat,
    options: side.valueOptions,
  };
  validateSerdeTarget(keyTarget);
  validateSerdeTarget(valueTarget, side.explicitWrap);
  return {
    key: await createSerde(keyTarget, registry),
    value: await createSerde(valueTarget, registry),
    targets: [keyTarget, valueTarget],
  };
}

/** Formats whose records the cases give as JSON: the registry formats and PROTOBUF_NOSR. */
function givenAsJson(format: FormatName): boolean {
  return SCHEMA_REGISTRY_FORMATS.has(format) || format === 'PROTOBUF_NOSR';
}

/**
 * The registry formats' (and PROTOBUF_NOSR's) records are given in the cases as JSON: a JSON serde of the same shape (a Protobuf
 * row is always a message) turns them into row values and back.
 */
async function jsonTwin(target: SerdeTarget): Promise<RowSerde> {
  const message = target.format === 'PROTOBUF' || target.format === 'PROTOBUF_NOSR';
  return createSerde({
    ...target,
    isKey: message ? false : target.isKey,
    format: 'JSON',
    options: message ? { wrapSingleValue: true } : { wrapSingleValue: target.options.wrapSingleValue },
  });
}

async function runCase(
  source: CreateSource,
  sink: CreateAsSelect | undefined,
  test: JsonValue,
  expectedMessage: string | undefined,
  registry: SchemaRegistryClient | undefined,
): Promise<string | undefined> {
  const columns = columnsOf(source);
  // Cases that register schemas up front (or name them by id) need the engine's harness.
  if (member(test, 'topics') !== undefined) return 'SKIP';
  let input: Awaited<ReturnType<typeof serdes>>;
  let output: Awaited<ReturnType<typeof serdes>> | undefined;
  try {
    const sourceProps = props(source.properties);
    const inputSide = parseFormatProperties(sourceProps);
    const sinkSide =
      sink === undefined ? undefined : parseFormatProperties(props(sink.properties), inputSide);
    const formats = [inputSide.keyFormat, inputSide.valueFormat, sinkSide?.keyFormat, sinkSide?.valueFormat];
    if (registry === undefined && formats.some((f) => f !== undefined && SCHEMA_REGISTRY_FORMATS.has(f))) {
      return 'SKIP';
    }
    const suffix = registry === undefined ? '' : `-${++topicCounter}`;
    input = await serdes(
      inputSide,
      columns,
      `${sourceProps.get('KAFKA_TOPIC') ?? 'input'}${suffix}`,
      registry,
    );
    if (sink !== undefined) {
      // The sink inherits the source's formats and delimiters, and overrides what its WITH clause says.
      const sinkProps = props(sink.properties);
      const outputSide = parseFormatProperties(sinkProps, inputSide);
      const inherit = (format: FormatName, inherited: FormatOptions, own: FormatOptions, same: boolean) =>
        same ? { ...(format === 'DELIMITED' ? { delimiter: inherited.delimiter } : {}), ...own } : own;
      output = await serdes(
        {
          ...outputSide,
          keyOptions: inherit(
            outputSide.keyFormat,
            inputSide.keyOptions,
            outputSide.keyOptions,
            outputSide.keyFormat === inputSide.keyFormat,
          ),
          valueOptions: inherit(
            outputSide.valueFormat,
            inputSide.valueOptions,
            outputSide.valueOptions,
            outputSide.valueFormat === inputSide.valueFormat,
          ),
        },
        columns,
        `OUTPUT${suffix}`,
        registry,
      );
    }
  } catch (error) {
    if (expectedMessage === undefined) return `unexpected error: ${(error as Error).message}`;
    // ksqlDB's harness expects the message to contain the case's text.
    return (error as Error).message.includes(expectedMessage)
      ? undefined
      : `expected error '${expectedMessage}', got '${(error as Error).message}'`;
  }
  if (expectedMessage !== undefined) return 'SKIP'; // the error is not a format's: out of scope here
  if (output === undefined) return 'SKIP';
  const inputs = (member(test, 'inputs') as JsonValue[]) ?? [];
  const outputs = (member(test, 'outputs') as JsonValue[]) ?? [];
  const twins = await Promise.all(
    [...input.targets, ...output.targets].map(async (target) =>
      givenAsJson(target.format) ? jsonTwin(target) : undefined,
    ),
  );
  /** A case's key or value as the bytes the input serde reads. */
  const inputBytes = (value: JsonValue | undefined, index: 0 | 1): Buffer | null => {
    const target = input.targets[index];
    const twin = twins[index];
    if (twin === undefined) return toBytes(value, target.format, target.columns);
    const row = twin.deserialize(
      value === undefined || value === null ? null : Buffer.from(writeJsonValue(value)),
    );
    return (index === 0 ? input.key : input.value).serialize(row);
  };
  const produced: { key: Buffer | null; value: Buffer | null }[] = [];
  for (const record of inputs) {
    try {
      const key = input.key.deserialize(inputBytes(member(record, 'key'), 0));
      const value = input.value.deserialize(inputBytes(member(record, 'value'), 1));
      produced.push({
        key: output.key.serialize(key ?? columns.key.map(() => null)),
        value: output.value.serialize(value),
      });
    } catch {
      // ksqlDB drops a record that fails to deserialize (it goes to the processing log).
    }
  }
  if (produced.length !== outputs.length) {
    return `expected ${outputs.length} outputs, got ${produced.length}`;
  }
  const [keyTarget, valueTarget] = output.targets;
  const asJson = (bytes: Buffer | null, index: 2 | 3): Buffer | null => {
    const twin = twins[index];
    if (twin === undefined || bytes === null) return bytes;
    return twin.serialize((index === 2 ? output.key : output.value).deserialize(bytes));
  };
  const jsonFormat = (format: FormatName): FormatName => (givenAsJson(format) ? 'JSON' : format);
  for (let i = 0; i < outputs.length; i++) {
    const expectedKey = member(outputs[i], 'key');
    const expectedValue = member(outputs[i], 'value');
    const key = asJson(produced[i].key, 2);
    const value = asJson(produced[i].value, 3);
    if (
      keyTarget.columns.length > 0 &&
      !sameOutput(
        key,
        expectedKey,
        jsonFormat(keyTarget.format),
        keyTarget.format !== 'JSON_SR' && givenAsJson(keyTarget.format),
      )
    ) {
      return `output ${i}: key ${key === null ? 'null' : key.toString('utf8')} (expected ${show(expectedKey)})`;
    }
    if (
      !sameOutput(
        value,
        expectedValue,
        jsonFormat(valueTarget.format),
        valueTarget.format !== 'JSON_SR' && givenAsJson(valueTarget.format),
      )
    ) {
      return `output ${i}: value ${value === null ? 'null' : value.toString('utf8')} (expected ${show(expectedValue)})`;
    }
  }
  return undefined;
}
