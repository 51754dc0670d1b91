// What the `new` wizard and its flags build: a PostgreSQL sink (topic to table) or source (table to
// topic) with Kafka Connect's class names and keys, and the converters by their short names.
import type { ConnectorConfig } from '../../../connect/api/plugin.js';

export const CONNECTOR_TYPES = ['sink', 'source'] as const;
export type ConnectorKind = (typeof CONNECTOR_TYPES)[number];

export const CLASS_OF: Readonly<Record<ConnectorKind, string>> = {
  sink: 'io.confluent.connect.jdbc.JdbcSinkConnector',
  source: 'io.confluent.connect.jdbc.JdbcSourceConnector',
};

export const CONVERTERS: Readonly<Record<string, string>> = {
  string: 'org.apache.kafka.connect.storage.StringConverter',
  json: 'org.apache.kafka.connect.json.JsonConverter',
  'json-schemaless': 'org.apache.kafka.connect.json.JsonConverter',
  avro: 'io.confluent.connect.avro.AvroConverter',
  'json-schema': 'io.confluent.connect.json.JsonSchemaConverter',
  protobuf: 'io.confluent.connect.protobuf.ProtobufConverter',
};
export const CONVERTER_NAMES = Object.keys(CONVERTERS);

export const PK_MODES = ['record_key', 'record_value', 'kafka', 'none'] as const;
export const SOURCE_MODES = ['incrementing', 'timestamp', 'timestamp+incrementing'] as const;

export interface ConnectorAnswers {
  readonly kind: ConnectorKind;
  readonly className?: string;
  /** sink: the topic read; source: the prefix of the topic written (prefix + table). */
  readonly topic: string;
  readonly table: string;
  readonly pkMode: string;
  readonly pkFields: string;
  readonly sourceMode: string;
  /** incrementing: the id column; timestamp: the timestamp column; both: "timestamp,id". */
  readonly sourceColumns: string;
  readonly keyConverter: string;
  readonly valueConverter: string;
  readonly connectionUrl?: string;
  readonly extra: Readonly<Record<string, string>>;
}

/** A converter's class from its short name; anything else is taken as a class name already. */
export function converterClass(name: string): string {
  return CONVERTERS[name.toLowerCase()] ?? name;
}

function converterSettings(
  prefix: 'key.converter' | 'value.converter',
  name: string,
): Record<string, string> {
  const settings: Record<string, string> = { [prefix]: converterClass(name) };
  if (name.toLowerCase() === 'json') settings[`${prefix}.schemas.enable`] = 'true';
  if (name.toLowerCase() === 'json-schemaless') settings[`${prefix}.schemas.enable`] = 'false';
  return settings;
}

export function buildConfig(answers: ConnectorAnswers): ConnectorConfig {
  const common = {
    'connector.class': answers.className ?? CLASS_OF[answers.kind],
    'tasks.max': '1',
    ...(answers.connectionUrl ? { 'connection.url': answers.connectionUrl } : {}),
    ...converterSettings('key.converter', answers.keyConverter),
    ...converterSettings('value.converter', answers.valueConverter),
  };
  if (answers.kind === 'sink')
    return {
      ...common,
      topics: answers.topic,
      'table.name.format': answers.table,
      'insert.mode': answers.pkMode === 'none' ? 'insert' : 'upsert',
      'pk.mode': answers.pkMode,
      ...(answers.pkMode === 'record_key' || answers.pkMode === 'record_value'
        ? answers.pkFields
          ? { 'pk.fields': answers.pkFields }
          : {}
        : {}),
      'auto.create': 'true',
      'auto.evolve': 'true',
      ...answers.extra,
    };
  const [first, second] = answers.sourceColumns.split(',').map((column) => column.trim());
  const columns: Record<string, string> =
    answers.sourceMode === 'incrementing'
      ? { 'incrementing.column.name': first }
      : answers.sourceMode === 'timestamp'
        ? { 'timestamp.column.name': first }
        : { 'timestamp.column.name': first, 'incrementing.column.name': second ?? '' };
  return {
    ...common,
    'table.whitelist': answers.table,
    mode: answers.sourceMode,
    ...columns,
    'topic.prefix': answers.topic,
    ...answers.extra,
  };
}
