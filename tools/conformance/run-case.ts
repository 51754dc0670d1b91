// Runs one case against a fresh engine on the shared broker: topics and schemas, statements in order,
// inputs, then the expected outputs, exception and post conditions, as ksqlDB's test runner checks them.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ConsumedRecord, Kafka, ProduceRecord } from '../../src/client/index.js';
import type { SqlEngine, SqlEngineOptions } from '../../src/sql/engine/api.js';
import { SqlStatementError } from '../../src/sql/engine/errors.js';
import type { ConformanceCase, RecordSpec, TopicSpec } from './cases.js';
import { RecordCodec, splitWindowedKey, windowedKey, type TopicLayout } from './codecs.js';
import { firstDifference, show } from './compare.js';
import { stringifyJsonText, type JsonValue } from './json-text.js';
import { describeSources, fallbackLayout, type SourceLayout } from './layouts.js';
import { collectOutputs, DEFAULT_OUTPUT_WAIT } from './outputs.js';
import { checkPost } from './post-conditions.js';
import type { RegisteredSchema, RegistryClient } from './registry-client.js';
import { runRestQueries } from './rest-responses.js';
import { caseSchemaIds } from './schema-ids.js';
import { TEST_UDFS } from './test-udfs.js';

export type CaseStatus = 'pass' | 'fail' | 'unavailable';

export interface CaseResult {
  readonly status: CaseStatus;
  /** Why it failed: the first difference or the error. */
  readonly detail?: string;
  /** A short label to rank failure causes by, e.g. `statement failed: Unsupported ...`. */
  readonly cause?: string;
  readonly ms: number;
}

export type EngineFactory = (options: SqlEngineOptions) => SqlEngine;

export interface CaseEnvironment {
  readonly kafka: Kafka;
  readonly bootstrap: string;
  readonly registry: RegistryClient;
  readonly createEngine: EngineFactory | undefined;
  readonly timeoutMs: number;
  readonly logger: SqlEngineOptions['logger'];
}

/** A failure the case causes (not the runner): carries the cause label for the summary. */
export class CaseFailure extends Error {
  override readonly name = 'CaseFailure';
  constructor(
    readonly label: string,
    detail: string,
  ) {
    super(detail);
  }
}

let caseCounter = 0;

export async function runCase(testCase: ConformanceCase, env: CaseEnvironment): Promise<CaseResult> {
  const started = Date.now();
  if (!env.createEngine) return { status: 'unavailable', cause: 'engine not available', ms: 0 };
  const serviceId = `conf_${process.pid}_${++caseCounter}_`;
  const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'venice-conformance-'));
  const engine = env.createEngine({
    kafka: { bootstrapServers: env.bootstrap, clientId: serviceId },
    schemaRegistryUrl: env.registry.url,
    serviceId,
    stateDir,
    logger: env.logger,
    properties: { 'ksql.streams.auto.offset.reset': 'earliest', ...testCase.properties },
    userFunctions: TEST_UDFS,
  });
  let timer: NodeJS.Timeout | undefined;
  try {
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new CaseFailure('timeout', `no result within ${env.timeoutMs} ms`)),
        env.timeoutMs,
      );
    });
    await Promise.race([executeCase(testCase, engine, env, started + env.timeoutMs - 500), timeout]);
    return { status: 'pass', ms: Date.now() - started };
  } catch (error) {
    if (error instanceof CaseFailure) {
      return { status: 'fail', cause: error.label, detail: error.message, ms: Date.now() - started };
    }
    const message = error instanceof Error ? error.message : String(error);
    return {
      status: 'fail',
      cause: `runner/engine error: ${causeLabel(message)}`,
      detail: message,
      ms: Date.now() - started,
    };
  } finally {
    clearTimeout(timer);
    await Promise.race([
      engine.stop().catch(() => undefined),
      new Promise((resolve) => setTimeout(resolve, 3000)),
    ]);
    fs.rmSync(stateDir, { recursive: true, force: true });
  }
}

/** Error text with names, numbers and quoted parts blanked, so similar errors rank together. */
export function causeLabel(message: string): string {
  return message
    .split('\n')[0]
    .replace(/`[^`]*`|'[^']*'|"[^"]*"/g, '…')
    .replace(/\b\d+(\.\d+)?\b/g, 'N')
    .slice(0, 90);
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * An engine error as ksqlDB's runner sees it: ksqlDB's statement errors end with the statement
 * (`\nStatement: CREATE ...`), and cases match on that.
 */
export function statementErrorText(error: unknown): string {
  if (!(error instanceof SqlStatementError)) return messageOf(error);
  return `${error.message}\nStatement: ${error.statementText.trim()}`;
}

/**
 * ksqlDB's runner sends a case's statements as one script, one per line, so positions in its messages
 * (`line 2:47`, `Line: 3, Col: 38`) count from the script's start. Each statement here gets the lines
 * before it in that script as leading newlines, so the engine's positions are the same.
 */
export function scriptStatements(statements: readonly string[]): string[] {
  let linesBefore = 0;
  return statements.map((statement) => {
    const padded = '\n'.repeat(linesBefore) + statement;
    linesBefore += statement.split('\n').length;
    return padded;
  });
}

const SOURCE_TOPIC =
  /\bCREATE\s+(?:OR\s+REPLACE\s+)?(?:SOURCE\s+)?(?:STREAM|TABLE)\b(?![\s\S]*\bAS\s+SELECT\b)[\s\S]*?\bKAFKA_TOPIC\s*=\s*'([^']+)'/i;

/**
 * The partitions of a topic the case does not size. ksqlDB's REST runner creates every topic the case
 * reads with its test model's default of 4 partitions and produces through Kafka's default partitioner,
 * so REST answers show that layout (a key's ROWPARTITION, a table scan's partition-by-partition order,
 * which rows a LIMIT keeps). The qtt runner's topology test driver has a single partition.
 */
function defaultPartitions(testCase: ConformanceCase): number {
  return testCase.shape === 'rest' ? 4 : 1;
}

/** Topics the case reads from: inputs, declared topics and the KAFKA_TOPIC of CREATE without AS SELECT. */
export function sourceTopics(testCase: ConformanceCase): Map<string, number> {
  const topics = new Map<string, number>();
  const partitions = defaultPartitions(testCase);
  for (const statement of testCase.statements) {
    const match = SOURCE_TOPIC.exec(statement);
    if (match && !/\bPARTITIONS\s*=/i.test(statement)) topics.set(match[1], partitions);
  }
  for (const input of testCase.inputs) if (!topics.has(input.topic)) topics.set(input.topic, partitions);
  // A declared topic without partitions has 1 in both runners (their TopicNode default).
  for (const topic of testCase.topics) topics.set(topic.name, topic.partitions ?? 1);
  return topics;
}

async function prepareTopics(testCase: ConformanceCase, env: CaseEnvironment): Promise<void> {
  const existing = new Set((await env.kafka.topics.list()).map((topic) => topic.name));
  for (const [name, partitions] of sourceTopics(testCase)) {
    if (!existing.has(name)) await env.kafka.topics.create({ name, partitions, replicationFactor: 1 });
  }
  const ids = caseSchemaIds(testCase);
  for (const topic of testCase.topics) {
    await registerSchema(env.registry, topic, 'key', ids.get(`${topic.name}-key`));
    await registerSchema(env.registry, topic, 'value', ids.get(`${topic.name}-value`));
  }
}

/** The registry's schemaType for a ksqlDB format name. */
function schemaTypeOf(format: string | undefined): RegisteredSchema['schemaType'] {
  const upper = (format ?? 'AVRO').toUpperCase();
  return upper === 'PROTOBUF' ? 'PROTOBUF' : upper === 'JSON_SR' || upper === 'JSON' ? 'JSON' : 'AVRO';
}

function schemaText(schema: JsonValue, schemaType: RegisteredSchema['schemaType']): string {
  return typeof schema === 'string' && schemaType === 'PROTOBUF' ? schema : stringifyJsonText(schema);
}

async function registerSchema(
  registry: RegistryClient,
  topic: TopicSpec,
  side: 'key' | 'value',
  id: number | undefined,
): Promise<void> {
  const schema = side === 'key' ? topic.keySchema : topic.valueSchema;
  if (schema === undefined || schema === null) return;
  const schemaType = schemaTypeOf(side === 'key' ? topic.keyFormat : topic.valueFormat);
  const references = (side === 'key' ? topic.keySchemaReferences : topic.valueSchemaReferences) ?? [];
  try {
    await registry.register(`${topic.name}-${side}`, schemaText(schema, schemaType), schemaType, {
      id,
      references: references.map((reference) => {
        const referenceType = schemaTypeOf(reference.format);
        return {
          name: reference.name,
          schema: schemaText(reference.schema, referenceType),
          schemaType: referenceType,
        };
      }),
    });
  } catch (error) {
    throw new CaseFailure(
      'runner: schema of the case refused by the registry',
      `${topic.name}: ${messageOf(error)}`,
    );
  }
}

async function executeCase(
  testCase: ConformanceCase,
  engine: SqlEngine,
  env: CaseEnvironment,
  deadline: number,
): Promise<void> {
  await engine.start();
  await prepareTopics(testCase, env);
  const expected =
    testCase.expectedException ??
    (testCase.expectedError?.message ? { message: testCase.expectedError.message, type: '' } : undefined);
  const isQuery = (statement: string) => /^\s*SELECT\b/i.test(statement);
  const deferred = testCase.shape === 'rest' ? testCase.statements.filter(isQuery) : [];
  try {
    for (const sql of scriptStatements(testCase.statements.filter((s) => !deferred.includes(s)))) {
      if (isQuery(sql)) await (await engine.query({ sql, properties: testCase.properties })).close();
      else await engine.execute({ sql, properties: testCase.properties });
    }
  } catch (error) {
    if (!expected)
      throw new CaseFailure(`statement failed: ${causeLabel(messageOf(error))}`, messageOf(error));
    if (!statementErrorText(error).includes(expected.message)) {
      throw new CaseFailure(
        'wrong error message',
        `expected an error containing "${expected.message}" but got "${statementErrorText(error)}"`,
      );
    }
    return;
  }
  const layouts = await describeSources(engine);
  const codec = new RecordCodec(env.registry);
  await produceInputs(testCase, layouts, codec, env);
  if (deferred.length > 0) {
    // Pull queries read what the persistent queries materialized: let them take in the inputs first
    // (no idle signal in the engine's API, so: until the sources' topics stop growing).
    if (testCase.inputs.length > 0) {
      const topics = new Map(
        (await describeSources(engine)).map((layout) => [layout.topic, Number.MAX_SAFE_INTEGER]),
      );
      await collectOutputs(env.kafka, topics, {
        ...DEFAULT_OUTPUT_WAIT,
        pendingQuietMs: 1000,
        deadline: deadline - 3000,
      });
    }
    // A query that fails as the case expects ends the case there.
    if ((await runRestQueries(testCase, deferred, engine, deadline)) === 'expected error raised') return;
  }
  if (expected) {
    // A query that fails while processing (ksqlDB's StreamsException) shows it in EXPLAIN's queryErrors.
    if (await queryFailed(engine, expected.message, Math.min(deadline - 500, Date.now() + 5000))) return;
    throw new CaseFailure('expected error not raised', `expected an error containing "${expected.message}"`);
  }
  try {
    await checkOutputs(testCase, await describeSources(engine), codec, env, deadline);
  } catch (error) {
    // A query that stopped on an error explains missing output better than the counts do.
    if (error instanceof CaseFailure && error.label.endsWith('output records')) {
      const errors = await queryErrors(engine);
      if (errors.length > 0)
        throw new CaseFailure(error.label, `${error.message}; query errors: ${errors.join(' | ')}`);
    }
    throw error;
  }
  if (testCase.post) await checkPost(testCase.post, engine, env.kafka);
}

function layoutFor(topic: string, layouts: readonly SourceLayout[], testCase: ConformanceCase): TopicLayout {
  return (
    layouts.find((layout) => layout.topic === topic) ??
    fallbackLayout(
      topic,
      testCase.topics.find((declared) => declared.name === topic),
    )
  );
}

async function produceInputs(
  testCase: ConformanceCase,
  layouts: readonly SourceLayout[],
  codec: RecordCodec,
  env: CaseEnvironment,
): Promise<void> {
  const records: ProduceRecord[] = [];
  for (const input of testCase.inputs) {
    const layout = layoutFor(input.topic, layouts, testCase);
    let key: Buffer | null;
    let value: Buffer | null;
    try {
      key = await codec.encode(input.key, layout, true);
      if (input.window) key = windowedKey(key, input.window);
      value = await codec.encode(input.value, layout, false);
    } catch (error) {
      throw new CaseFailure(`runner: cannot encode input: ${causeLabel(messageOf(error))}`, messageOf(error));
    }
    records.push({
      topic: input.topic,
      key,
      value,
      timestamp: BigInt(input.timestamp ?? 0),
      headers: (input.headers ?? []).map((header) => ({
        key: header.key,
        value: header.value === null ? null : Buffer.from(header.value, 'base64'),
      })),
    });
  }
  // One at a time keeps the file's order across topics, which joins depend on.
  for (const record of records) await env.kafka.produce([record]);
}

async function checkOutputs(
  testCase: ConformanceCase,
  layouts: readonly SourceLayout[],
  codec: RecordCodec,
  env: CaseEnvironment,
  deadline: number,
): Promise<void> {
  const byTopic = new Map<string, RecordSpec[]>();
  for (const output of testCase.outputs)
    byTopic.set(output.topic, [...(byTopic.get(output.topic) ?? []), output]);
  if (byTopic.size === 0) return;
  const counts = new Map([...byTopic].map(([topic, records]) => [topic, records.length]));
  const actual = await collectOutputs(env.kafka, counts, { ...DEFAULT_OUTPUT_WAIT, deadline });
  for (const [topic, expectedRecords] of byTopic) {
    const layout = layoutFor(topic, layouts, testCase);
    const records = actual.get(topic) ?? [];
    for (let i = 0; i < Math.max(records.length, expectedRecords.length); i++) {
      const want = expectedRecords[i];
      const got = records[i];
      if (!want || !got) {
        const cause =
          records.length === 0
            ? 'no output records'
            : records.length < expectedRecords.length
              ? 'too few output records'
              : 'too many output records';
        throw new CaseFailure(
          cause,
          `${topic}: expected ${expectedRecords.length} records but got ${records.length}; ` +
            (want ? `first missing: ${describeExpected(want)}` : `first extra at ${i}`),
        );
      }
      const difference = await recordDifference(want, got, layout, codec);
      if (difference) throw new CaseFailure(difference.cause, `${topic}[${i}]: ${difference.detail}`);
    }
  }
}

function describeExpected(record: RecordSpec): string {
  return `key ${show(record.key)} value ${show(record.value)}${record.timestamp === undefined ? '' : ` at ${record.timestamp}`}`;
}

async function recordDifference(
  want: RecordSpec,
  got: ConsumedRecord,
  layout: TopicLayout,
  codec: RecordCodec,
): Promise<{ cause: string; detail: string } | undefined> {
  let keyBytes = got.key;
  if (layout.windowType && keyBytes) {
    const split = splitWindowedKey(
      keyBytes,
      layout.windowType,
      (layout as Partial<SourceLayout>).windowSizeMs,
    );
    if (!split) return { cause: 'window mismatch', detail: 'windowed key too short' };
    keyBytes = split.key;
    if (want.window) {
      const sameEnd = Number.isNaN(split.window.end) || split.window.end === want.window.end;
      if (split.window.start !== want.window.start || !sameEnd) {
        return {
          cause: 'window mismatch',
          detail: `window expected ${JSON.stringify(want.window)} but was ${JSON.stringify(split.window)}`,
        };
      }
    }
  }
  let key: JsonValue;
  let value: JsonValue;
  try {
    key = await codec.decode(
      keyBytes && keyBytes.length === 0 && layout.key.columns.length === 0 ? null : keyBytes,
      layout,
      true,
    );
    value = await codec.decode(got.value, layout, false);
  } catch (error) {
    return {
      cause: `runner: cannot decode output: ${causeLabel(messageOf(error))}`,
      detail: messageOf(error),
    };
  }
  const keyDifference = firstDifference(want.key === undefined ? null : want.key, key, 'key');
  if (keyDifference) return { cause: 'key mismatch', detail: keyDifference };
  const valueDifference = firstDifference(want.value, value, 'value');
  if (valueDifference) return { cause: 'value mismatch', detail: valueDifference };
  if (want.timestamp !== undefined && BigInt(want.timestamp) !== got.timestamp) {
    return {
      cause: 'timestamp mismatch',
      detail: `timestamp expected ${want.timestamp} but was ${got.timestamp}`,
    };
  }
  if (want.headers) {
    const actualHeaders = got.headers.map((header) => ({
      key: header.key,
      value: header.value?.toString('base64') ?? null,
    }));
    if (JSON.stringify(actualHeaders) !== JSON.stringify(want.headers)) {
      return {
        cause: 'headers mismatch',
        detail: `headers expected ${JSON.stringify(want.headers)} but were ${JSON.stringify(actualHeaders)}`,
      };
    }
  }
  return undefined;
}

/** The errors EXPLAIN shows for the persistent queries now. */
async function queryErrors(engine: SqlEngine): Promise<string[]> {
  const [listing] = await engine.execute({ sql: 'SHOW QUERIES;' });
  const ids = listing?.['@type'] === 'queries' ? listing.queries.map((q) => q.id) : [];
  const found: string[] = [];
  for (const id of ids) {
    const [explained] = await engine.execute({ sql: `EXPLAIN ${id};` });
    if (explained?.['@type'] !== 'queryDescription') continue;
    for (const error of explained.queryDescription.queryErrors ?? [])
      found.push(`${id}: ${error.errorMessage}`);
  }
  return found;
}

/** Whether a persistent query fails with `message` before `until`. */
async function queryFailed(engine: SqlEngine, message: string, until: number): Promise<boolean> {
  for (;;) {
    const [listing] = await engine.execute({ sql: 'SHOW QUERIES;' });
    const ids = listing?.['@type'] === 'queries' ? listing.queries.map((q) => q.id) : [];
    for (const id of ids) {
      const [explained] = await engine.execute({ sql: `EXPLAIN ${id};` });
      if (explained?.['@type'] !== 'queryDescription') continue;
      const errors = explained.queryDescription.queryErrors ?? [];
      if (errors.some((error) => error.errorMessage.includes(message))) return true;
    }
    if (Date.now() >= until) return false;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
