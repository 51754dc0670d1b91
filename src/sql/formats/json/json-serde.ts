// The JSON format: a row is a JSON object of its columns, or the bare value of a single unwrapped column.
import type { SqlValue } from '../../types/index.js';
import { SerdeError, type RowSerde, type SerdeTarget } from '../format.js';
import { isUnwrapped, sideOf } from '../shape.js';
import {
  JsonSyntaxError,
  MEMBERS_SENT,
  readJson,
  readJsonMembers,
  type JsonValue,
} from '../../../serdes/exact-json.js';
import { JsonCoercionError, StructAssembler, jsonToSql, nodeName } from './json-to-sql.js';
import { rowToJson, sqlToJson } from './json-writer.js';

/** Text to and from row values, shared by JSON and JSON_SR (which adds the registry framing). */
export interface JsonRowCodec {
  /** The JSON text of a row, or null when the row writes as a null record. */
  write(values: readonly SqlValue[]): string | null;
  /** The row of a JSON text; null for a JSON null. Throws on bad JSON and on values that do not convert. */
  read(text: string): SqlValue[] | null;
}

export function jsonRowCodec(target: SerdeTarget): JsonRowCodec {
  const { columns } = target;
  if (isUnwrapped(target)) {
    const write = sqlToJson(columns[0].type);
    const read = jsonToSql(columns[0].type);
    return {
      // A null single value is a null record (a tombstone), as ksqlDB writes it.
      write: (values) => (values[0] === null ? null : write(values[0])),
      read: (text) => {
        const document = readJson(text);
        return document === null ? null : [readAt(read, document)];
      },
    };
  }
  const write = rowToJson(columns);
  const assembler = new StructAssembler(columns);
  const rowType = `STRUCT<${columns.map((c) => `\`${c.name}\``).join(', ')}>`;
  return {
    write,
    read: (text) => {
      // The row's columns are taken straight from the text: no object is built for the record.
      assembler.begin();
      const document = prefixPath(() => readJsonMembers(text, assembler));
      if (document === MEMBERS_SENT) return assembler.end();
      if (document === null) return null;
      throw new Error(
        `Can't convert type. sourceType: ${nodeName(document)}, requiredType: ${rowType}, path: $`,
      );
    },
  };
}

function readAt(read: (value: JsonValue) => SqlValue, document: JsonValue): SqlValue {
  return prefixPath(() => read(document));
}

/** Runs a conversion at the document's root, so that errors say `path: $...` as ksqlDB's do. */
function prefixPath<T>(run: () => T): T {
  try {
    return run();
  } catch (error) {
    if (error instanceof JsonSyntaxError) throw error;
    if (error instanceof JsonCoercionError) {
      throw new Error(`${error.reason}, path: $${error.path}`, { cause: error });
    }
    throw new Error(`${(error as Error).message}, path: $`, { cause: error });
  }
}

export function jsonSerde(target: SerdeTarget): RowSerde {
  const codec = jsonRowCodec(target);
  const keyless = target.columns.length === 0;
  const side = sideOf(target);
  return {
    serialize(values) {
      if (values === null || keyless) return null;
      const text = codec.write(values);
      return text === null ? null : Buffer.from(text, 'utf8');
    },
    deserialize(bytes) {
      if (bytes === null) return null;
      if (keyless) return [];
      try {
        return codec.read(bytes.toString('utf8'));
      } catch (error) {
        throw new SerdeError(
          `Failed to deserialize ${side} from topic: ${target.topic}. ${(error as Error).message}`,
        );
      }
    },
  };
}
