// The processing log: a record that fails (to deserialize, to evaluate, to serialize) is logged and
// written to the processing-log topic (`<serviceId>ksql_processing_log`, or
// ksql.logging.processing.topic.name), and the query goes on. Each entry is ksqlDB's structured record,
// JSON with every field present (null when unused), so that ksqlDB's KSQL_PROCESSING_LOG stream and the
// tools written for it read Venice's log as they read ksqlDB's:
//
//   {"level":"ERROR","logger":"processing.<queryId>.KsqlTopic.Source.deserializer","time":<ms>,
//    "message":{"type":0,"deserializationError":{"target":"value","errorMessage":"...","recordB64":null,
//    "cause":[...],"topic":"t"},"recordProcessingError":null,"productionError":null,
//    "serializationError":null,"kafkaStreamsThreadError":null}}
//
// `type` is ksqlDB's MessageType id: 0 deserialization, 1 record processing, 3 serialization. The failed
// record itself (base64 bytes, or the row as JSON) is written only when ksql.logging.processing.rows.include
// is true, as in ksqlDB: rows may hold data the log's readers should not see.
import { SqlDecimal, type SqlValue } from '../types/index.js';
import type { ProcessingError } from './operator.js';
import type { RuntimeDeps } from './context.js';

export const PROCESSING_LOG_PROPERTIES = {
  topicName: 'ksql.logging.processing.topic.name',
  rowsInclude: 'ksql.logging.processing.rows.include',
  streamAutoCreate: 'ksql.logging.processing.stream.auto.create',
  streamName: 'ksql.logging.processing.stream.name',
  topicAutoCreate: 'ksql.logging.processing.topic.auto.create',
  topicPartitions: 'ksql.logging.processing.topic.partitions',
} as const;

/** The processing-log topic: ksql.logging.processing.topic.name, else `<serviceId>ksql_processing_log`. */
export function processingLogTopic(serviceId: string, properties?: Readonly<Record<string, string>>): string {
  const configured = properties?.[PROCESSING_LOG_PROPERTIES.topicName];
  return configured ? configured : `${serviceId}ksql_processing_log`;
}

const MESSAGE_TYPES = {
  DESERIALIZATION_ERROR: 0,
  RECORD_PROCESSING_ERROR: 1,
  SERIALIZATION_ERROR: 3,
} as const;

interface DeserializationErrorEntry {
  target: 'key' | 'value';
  errorMessage: string;
  recordB64: string | null;
  cause: string[];
  topic: string | null;
}

interface RecordProcessingErrorEntry {
  errorMessage: string;
  record: string | null;
  cause: string[];
}

interface SerializationErrorEntry {
  target: 'key' | 'value';
  errorMessage: string;
  record: string | null;
  cause: string[];
  topic: string | null;
}

/** One record of the processing-log topic, field for field ksqlDB's ProcessingLogRecord. */
export interface ProcessingLogEntry {
  level: 'ERROR';
  logger: string;
  time: number;
  message: {
    type: number;
    deserializationError: DeserializationErrorEntry | null;
    recordProcessingError: RecordProcessingErrorEntry | null;
    productionError: { errorMessage: string } | null;
    serializationError: SerializationErrorEntry | null;
    kafkaStreamsThreadError: { errorMessage: string; threadName: string; cause: string[] } | null;
  };
}

/** The messages of an error and of the errors that caused it, outermost first (Java's getCause chain). */
function errorMessages(error: unknown): string[] {
  const messages: string[] = [];
  let current = error;
  for (let depth = 0; current !== undefined && current !== null && depth < 10; depth++) {
    messages.push(current instanceof Error ? current.message : String(current));
    current = current instanceof Error ? current.cause : undefined;
  }
  return messages;
}

/** Whether the serde said which half of the record it could not handle ("... deserialize key from ..."). */
function targetOf(messages: readonly string[]): 'key' | 'value' {
  return messages.some((message) => /\b(?:de)?serializ\w* key\b/i.test(message)) ? 'key' : 'value';
}

/** The entry for one failure; `includeRows` adds the failed record, as rows.include does. */
export function processingLogEntry(
  queryId: string,
  error: ProcessingError,
  includeRows: boolean,
  now = Date.now(),
): ProcessingLogEntry {
  const message: ProcessingLogEntry['message'] = {
    type: MESSAGE_TYPES[error.type ?? 'RECORD_PROCESSING_ERROR'],
    deserializationError: null,
    recordProcessingError: null,
    productionError: null,
    serializationError: null,
    kafkaStreamsThreadError: null,
  };
  let step: string;
  // A (de)serializer's own error is the entry's message and what caused it the cause list, as ksqlDB
  // logs a SerializationException; an evaluation error is logged with the whole chain as the cause.
  const serdeMessages = error.cause === undefined ? [error.message] : errorMessages(error.cause);
  switch (error.type) {
    case 'DESERIALIZATION_ERROR': {
      step = 'KsqlTopic.Source.deserializer';
      const target = targetOf(serdeMessages);
      const bytes = target === 'key' ? error.bytes?.key : error.bytes?.value;
      message.deserializationError = {
        target,
        errorMessage: serdeMessages[0] ?? error.message,
        recordB64: includeRows && bytes ? Buffer.from(bytes).toString('base64') : null,
        cause: serdeMessages.slice(1),
        topic: error.topic ?? null,
      };
      break;
    }
    case 'SERIALIZATION_ERROR':
      step = 'KsqlTopic.Sink.serializer';
      message.serializationError = {
        target: targetOf(serdeMessages),
        errorMessage: serdeMessages[0] ?? error.message,
        record: includeRows ? rowText(error.record?.value) : null,
        cause: serdeMessages.slice(1),
        topic: error.topic ?? null,
      };
      break;
    default:
      step = 'Project';
      message.recordProcessingError = {
        errorMessage: error.message,
        record: includeRows ? rowText(error.record?.value) : null,
        cause: errorMessages(error.cause),
      };
  }
  return { level: 'ERROR', logger: `processing.${queryId}.${step}`, time: now, message };
}

/** A row's value columns as a JSON array (numbers past a double's precision kept as their text). */
function rowText(values: readonly SqlValue[] | null | undefined): string | null {
  if (!values) return null;
  return JSON.stringify(values.map(plainValue));
}

function plainValue(value: SqlValue): unknown {
  if (typeof value === 'bigint') return Number.isSafeInteger(Number(value)) ? Number(value) : String(value);
  if (value instanceof SqlDecimal) return value.toString();
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  if (Array.isArray(value)) return value.map(plainValue);
  if (value instanceof Map)
    return Object.fromEntries(
      [...(value as Map<SqlValue, SqlValue>)].map(([k, v]) => [String(k), plainValue(v)]),
    );
  if (value !== null && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plainValue(v as SqlValue)]));
  return value;
}

/** A function that reports one processing error of query `queryId`; writing it never fails the query. */
export function processingLog(deps: RuntimeDeps, queryId: string): (error: ProcessingError) => void {
  const topic = processingLogTopic(deps.serviceId, deps.properties);
  const includeRows = deps.properties?.[PROCESSING_LOG_PROPERTIES.rowsInclude]?.toLowerCase() === 'true';
  return (error) => {
    const entry = processingLogEntry(queryId, error, includeRows);
    deps.logger.warn(
      { queryId, cause: errorMessages(error.cause)[0], offset: error.record?.offset },
      error.message,
    );
    deps.kafka
      .produce([{ topic, key: null, value: Buffer.from(JSON.stringify(entry)) }])
      .catch((e: unknown) => {
        deps.logger.debug({ queryId, cause: errorMessages(e)[0] }, 'could not write to the processing log');
      });
  };
}
