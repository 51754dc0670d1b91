// SQL values to JSON text as ksqlDB's JSON serializer writes them: DECIMAL as a number keeping its scale,
// BYTES as base64, DATE as days, TIME and TIMESTAMP as milliseconds, doubles as Java prints them (1.0,
// 1.0E10). A writer is compiled once per type; strings are escaped by the engine's JSON.stringify.
import {
  javaFiniteDouble,
  type SqlDecimal,
  type SqlStruct,
  type SqlType,
  type SqlValue,
} from '../../types/index.js';
import { JsonNumberText, JsonObject, type JsonValue } from '../../../serdes/exact-json.js';

export type SqlToJson = (value: SqlValue) => string;

/** Double.toString's form: a whole number keeps ".0", and E notation outside [1e-3, 1e7). */
export function javaDouble(value: number): string {
  if (!Number.isFinite(value))
    return `"${Number.isNaN(value) ? 'NaN' : value > 0 ? 'Infinity' : '-Infinity'}"`;
  if (value === 0) return Object.is(value, -0) ? '-0.0' : '0.0';
  return javaFiniteDouble(value);
}

function base64(value: SqlValue): string {
  const bytes = value as Uint8Array;
  return `"${Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64')}"`;
}

/** The writer for one SQL type; null writes `null`. */
export function sqlToJson(type: SqlType): SqlToJson {
  switch (type.kind) {
    case 'BOOLEAN':
      return (value) => (value === null ? 'null' : value ? 'true' : 'false');
    case 'INTEGER':
    case 'DATE':
    case 'TIME':
    case 'TIMESTAMP':
      return (value) => (value === null ? 'null' : String(value as number));
    case 'BIGINT':
      return (value) => (value === null ? 'null' : (value as bigint).toString());
    case 'DOUBLE':
      return (value) => (value === null ? 'null' : javaDouble(value as number));
    case 'DECIMAL':
      return (value) => (value === null ? 'null' : (value as SqlDecimal).toString());
    case 'STRING':
      return (value) => (value === null ? 'null' : JSON.stringify(value));
    case 'BYTES':
      return (value) => (value === null ? 'null' : base64(value));
    case 'ARRAY': {
      const element = sqlToJson(type.element);
      return (value) => {
        if (value === null) return 'null';
        const array = value as readonly SqlValue[];
        let out = '[';
        for (let i = 0; i < array.length; i++) out += (i === 0 ? '' : ',') + element(array[i]);
        return `${out}]`;
      };
    }
    case 'MAP': {
      const writeValue = sqlToJson(type.value);
      return (value) => {
        if (value === null) return 'null';
        let out = '{';
        let first = true;
        for (const [key, item] of value as ReadonlyMap<SqlValue, SqlValue>) {
          out += `${first ? '' : ','}${JSON.stringify(String(key))}:${writeValue(item)}`;
          first = false;
        }
        return `${out}}`;
      };
    }
    case 'STRUCT': {
      const names = type.fields.map((field) => field.name);
      const writers = type.fields.map((field) => sqlToJson(field.type));
      const prefixes = names.map((name, i) => `${i === 0 ? '{' : ','}${JSON.stringify(name)}:`);
      return (value) => {
        if (value === null) return 'null';
        const struct = value as SqlStruct;
        if (names.length === 0) return '{}';
        let out = '';
        for (let i = 0; i < names.length; i++) out += prefixes[i] + writers[i](struct[names[i]] ?? null);
        return `${out}}`;
      };
    }
  }
}

/** Named columns as one JSON object: `{"A":1,"B":"x"}`. */
export function rowToJson(columns: readonly { readonly name: string; readonly type: SqlType }[]) {
  const writers = columns.map((column) => sqlToJson(column.type));
  const prefixes = columns.map((column, i) => `${i === 0 ? '{' : ','}${JSON.stringify(column.name)}:`);
  return (values: readonly SqlValue[]): string => {
    if (writers.length === 0) return '{}';
    let out = '';
    for (let i = 0; i < writers.length; i++) out += prefixes[i] + writers[i](values[i]);
    return `${out}}`;
  };
}

/** A value read by json-reader back to compact JSON text (numbers as they were written). */
export function writeJsonValue(value: JsonValue): string {
  if (value === null) return 'null';
  if (typeof value === 'boolean' || typeof value === 'number') return String(value);
  if (typeof value === 'string') return JSON.stringify(value);
  if (value instanceof JsonNumberText) return value.text;
  if (Array.isArray(value)) return `[${value.map(writeJsonValue).join(',')}]`;
  const object = value as JsonObject;
  return `{${object.names.map((name, i) => `${JSON.stringify(name)}:${writeJsonValue(object.values[i])}`).join(',')}}`;
}
