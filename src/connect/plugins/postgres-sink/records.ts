// From a sink record to the row it writes (or the key it deletes), by pk.mode and pk.fields as the JDBC
// sink reads them. Values with a struct schema give their fields; schemaless JSON objects give theirs,
// typed from the values. A record that cannot become a row raises RecordError, which the task reports
// through the errant record reporter instead of stopping.
import type { ConnectSchema, ConnectValue, SinkRecord } from '../../api/data.js';
import { kindOfSchema, kindOfValue, type ColumnKind } from './columns.js';
import { KAFKA_PK_COLUMNS, PRIMITIVE_KEY_COLUMN, type SinkSettings } from './config.js';
import { jsonText } from './values.js';

export class RecordError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RecordError';
  }
}

export interface FieldValue {
  readonly name: string;
  readonly kind: ColumnKind;
  /** From the schema; schemaless fields are always optional. */
  readonly optional: boolean;
  readonly value: ConnectValue;
}

export interface TableName {
  readonly schema: string | null;
  readonly name: string;
}

export interface Write {
  readonly record: SinkRecord;
  readonly table: TableName;
  readonly op: 'row' | 'delete';
  readonly keyFields: readonly FieldValue[];
  /** Empty for a delete. */
  readonly valueFields: readonly FieldValue[];
  /** The primary key's values as one string, to find later records of the same row; null without a key. */
  readonly keyId: string | null;
}

type JsonObjectValue = { readonly [field: string]: ConnectValue };

function isObjectValue(value: ConnectValue): value is JsonObjectValue {
  return (
    typeof value === 'object' &&
    value !== null &&
    !(value instanceof Uint8Array) &&
    !(value instanceof Date) &&
    !(value instanceof Map) &&
    !Array.isArray(value)
  );
}

function describe(schema: ConnectSchema | null, value: ConnectValue): string {
  if (schema) return `a ${schema.type}`;
  if (Array.isArray(value)) return 'a JSON array';
  return value === null ? 'null' : `a ${typeof value}`;
}

/** The fields of a struct (by its schema) or of a schemaless JSON object, or null when the data is neither. */
function fieldsOf(schema: ConnectSchema | null, value: ConnectValue): FieldValue[] | null {
  if (schema) {
    if (schema.type !== 'struct' || !isObjectValue(value)) return null;
    return (schema.fields ?? []).map((field) => ({
      name: field.name,
      kind: kindOfSchema(field.schema),
      optional: field.schema.optional,
      value: value[field.name] ?? null,
    }));
  }
  if (!isObjectValue(value)) return null;
  return Object.entries(value)
    .filter(([, item]) => item !== undefined)
    .map(([name, item]) => ({ name, kind: kindOfValue(item), optional: true, value: item }));
}

function pick(fields: readonly FieldValue[], wanted: readonly string[], where: string): FieldValue[] {
  if (wanted.length === 0) return [...fields];
  return wanted.map((name) => {
    const field = fields.find((candidate) => candidate.name === name);
    if (!field) {
      throw new RecordError(
        `pk.fields names "${name}", but the record's ${where} has no such field (it has ${fields.map((f) => f.name).join(', ') || 'none'})`,
      );
    }
    return field;
  });
}

function keyFieldsOf(
  record: SinkRecord,
  settings: SinkSettings,
  valueFields: readonly FieldValue[] | null,
): FieldValue[] {
  switch (settings.pkMode) {
    case 'none':
      return [];
    case 'kafka': {
      const [topic, partition, offset] =
        settings.pkFields.length === 3 ? settings.pkFields : KAFKA_PK_COLUMNS;
      return [
        { name: topic, kind: 'text', optional: false, value: record.topic },
        { name: partition, kind: 'int32', optional: false, value: record.partition },
        { name: offset, kind: 'int64', optional: false, value: record.offset },
      ];
    }
    case 'record_key': {
      if (record.key === null) {
        throw new RecordError(
          'the record has no key, but pk.mode=record_key takes the primary key from the key',
        );
      }
      const structFields = fieldsOf(record.keySchema, record.key);
      if (structFields) return pick(structFields, settings.pkFields, 'key');
      const keyType = record.keySchema?.type;
      if (
        keyType === 'array' ||
        keyType === 'map' ||
        keyType === 'struct' ||
        typeof record.key === 'object'
      ) {
        throw new RecordError(
          `the record key is ${describe(record.keySchema, record.key)}; pk.mode=record_key needs a primitive key or a struct (or JSON object) key`,
        );
      }
      if (settings.pkFields.length > 1) {
        throw new RecordError(
          `the record key is a primitive, so pk.fields must name one column, but it names ${settings.pkFields.length}`,
        );
      }
      const kind = record.keySchema ? kindOfSchema(record.keySchema) : kindOfValue(record.key);
      return [
        { name: settings.pkFields[0] ?? PRIMITIVE_KEY_COLUMN, kind, optional: false, value: record.key },
      ];
    }
    case 'record_value':
      if (!valueFields)
        throw new RecordError(
          'pk.mode=record_value takes the primary key from the value, but the record has none',
        );
      return pick(valueFields, settings.pkFields, 'value');
  }
}

/** The table of a topic by table.name.format. */
export function tableFor(topic: string, format: string): TableName {
  // A dot in the format separates the schema; the topic, dots and all, is one identifier.
  const parts = format.split('.');
  const name = parts[parts.length - 1].replaceAll('${topic}', topic);
  const schema = parts.length > 1 ? parts[parts.length - 2].replaceAll('${topic}', topic) : null;
  return { schema, name };
}

function keyIdOf(fields: readonly FieldValue[]): string {
  if (fields.length === 1) return jsonText(fields[0].value);
  return fields.map((field) => jsonText(field.value)).join('\u0000');
}

/** The write a record makes, or null when it makes none (a tombstone with delete.enabled=false). */
export function toWrite(record: SinkRecord, settings: SinkSettings, table: TableName): Write | null {
  if (record.value === null) {
    if (!settings.deleteEnabled) return null;
    const keyFields = keyFieldsOf(record, settings, null);
    return { record, table, op: 'delete', keyFields, valueFields: [], keyId: keyIdOf(keyFields) };
  }
  const allValueFields = fieldsOf(record.valueSchema, record.value);
  if (!allValueFields) {
    throw new RecordError(
      `the record value is ${describe(record.valueSchema, record.value)}, not a struct or a JSON object: the sink writes ` +
        'the fields of a struct (or of a JSON object) as columns; use a converter that gives them (JsonConverter, AvroConverter, ...)',
    );
  }
  const keyFields = keyFieldsOf(record, settings, allValueFields);
  for (const field of keyFields) {
    if (field.value === null) throw new RecordError(`the primary key field "${field.name}" is null`);
  }
  const whitelist = settings.fieldsWhitelist;
  const valueFields: FieldValue[] = [];
  for (const field of allValueFields) {
    if (whitelist.size > 0 && !whitelist.has(field.name)) continue;
    if (keyFields.length > 0 && keyFields.some((key) => key.name === field.name)) continue;
    valueFields.push(field);
  }
  if (keyFields.length === 0 && valueFields.length === 0) {
    throw new RecordError(
      'the record gives no columns to write (its value has no fields, or fields.whitelist leaves none)',
    );
  }
  return {
    record,
    table,
    op: 'row',
    keyFields,
    valueFields,
    keyId: settings.pkMode === 'none' ? null : keyIdOf(keyFields),
  };
}
