// The topic behind a source: create it when PARTITIONS says so, refuse when it is missing (ksqlDB's
// message with an example), and the WITH properties read off a source's topic and columns.
import type { FormatDefaults, FormatName, FormatOptions } from '../formats/index.js';
import { parseFormatName } from '../formats/index.js';
import type { Column } from '../planner/schema.js';
import type { StatementContext } from './context.js';
import { StatementError } from './statement-error.js';
import type { WithProperties } from './with-properties.js';

export interface TopicRequest {
  readonly topic: string;
  readonly partitions?: number;
  readonly replicas?: number;
  readonly retentionMs?: string;
  /** Tables' topics are compacted, streams' deleted by retention, as ksqlDB creates them. */
  readonly compacted: boolean;
  /** The statement again with PARTITIONS, for the message when the topic is missing. */
  readonly example?: () => string;
}

export async function topicExists(context: StatementContext, topic: string): Promise<boolean> {
  const topics = await context.engine.kafka.topics.list({ includeInternal: true });
  return topics.some((t) => t.name === topic);
}

/** The topic exists afterwards, or the statement is refused. */
export async function ensureTopic(context: StatementContext, request: TopicRequest): Promise<void> {
  if (request.compacted && request.retentionMs !== undefined) {
    throw new StatementError(
      'Invalid config variable in the WITH clause: RETENTION_MS.\n' +
        'Non-windowed tables do not support retention.',
    );
  }
  if (await topicExists(context, request.topic)) return;
  if (request.partitions === undefined) {
    const example = request.example === undefined ? '' : ` For example: ${request.example()}`;
    throw new StatementError(
      `Topic '${request.topic}' does not exist. If you want to create a new topic for the stream/table please ` +
        "re-run the statement providing the required 'PARTITIONS' configuration in the WITH clause (and " +
        `optionally 'REPLICAS').${example}`,
    );
  }
  const configs: Record<string, string> = { 'cleanup.policy': request.compacted ? 'compact' : 'delete' };
  if (request.retentionMs !== undefined) configs['retention.ms'] = request.retentionMs;
  await context.engine.kafka.topics.create({
    name: request.topic,
    partitions: request.partitions,
    // Without REPLICAS the broker's default.replication.factor, as in ksqlDB.
    replicationFactor: request.replicas,
    configs,
  });
}

const ALWAYS_UNWRAPPED: ReadonlySet<FormatName> = new Set(['KAFKA', 'DELIMITED', 'NONE']);

/**
 * A single value column's wrapping when the WITH clause does not set WRAP_SINGLE_VALUE:
 * ksql.persistence.wrap.single.values=false unwraps it, as ksqlDB's serde features do.
 */
export function withConfiguredWrap(
  options: FormatOptions,
  format: FormatName,
  storedValueColumns: number,
  properties: Readonly<Record<string, string>>,
): FormatOptions {
  if (options.wrapSingleValue !== undefined || storedValueColumns !== 1 || ALWAYS_UNWRAPPED.has(format))
    return options;
  const configured = String(properties['ksql.persistence.wrap.single.values'] ?? '').toLowerCase();
  return configured === 'false' ? { ...options, wrapSingleValue: false } : options;
}

/** ksql.persistence.default.format.key / .value, as the session or the server set them. */
export function formatDefaults(properties: Readonly<Record<string, string>>): FormatDefaults {
  const read = (name: string): FormatName | undefined => {
    const value = properties[name];
    return value === undefined || value === '' ? undefined : parseFormatName(value);
  };
  return {
    keyFormat: read('ksql.persistence.default.format.key') ?? 'KAFKA',
    valueFormat: read('ksql.persistence.default.format.value'),
  };
}

/** The column TIMESTAMP='col' names: upper-cased unless quoted. */
export function timestampColumnName(props: WithProperties): string | undefined {
  const written = props.string('TIMESTAMP');
  if (written === undefined) return undefined;
  const quoted = /^[`"](.*)[`"]$/.exec(written);
  return quoted !== null ? quoted[1] : written.toUpperCase();
}

/** TIMESTAMP='col' [TIMESTAMP_FORMAT='...']: the column must exist (ksqlDB's message otherwise). */
export function timestampColumn(
  props: WithProperties,
  columns: readonly Column[],
): { name: string; format?: string } | undefined {
  const name = timestampColumnName(props);
  if (name === undefined) return undefined;
  const column = columns.find((c) => c.name === name);
  if (column === undefined) {
    throw new StatementError(
      `The TIMESTAMP column set in the WITH clause does not exist in the schema: '${name}'`,
    );
  }
  const format = props.string('TIMESTAMP_FORMAT');
  const kind = column.type.kind;
  if (kind === 'STRING') {
    if (format === undefined) {
      throw new StatementError(
        'A String timestamp field has been specified without also specifying the timestamp_format',
      );
    }
    return { name, format };
  }
  if (format !== undefined) {
    throw new StatementError(
      "'TIMESTAMP_FORMAT' set in the WITH clause can only be used when the timestamp column is of type STRING.",
    );
  }
  if (kind !== 'BIGINT' && kind !== 'TIMESTAMP') {
    throw new StatementError(
      `Timestamp column, ${name}, should be LONG(INT64), TIMESTAMP, or a String with a timestamp_format specified.`,
    );
  }
  return { name };
}
