// The DELIMITED format: one CSV line of the columns' text forms (VALUE_DELIMITER / KEY_DELIMITER, ',' by
// default). An empty field is NULL; there are no nested types. Texts are Java's: Integer.parseInt,
// Double.toString, BigDecimal.toPlainString, base64 for BYTES, days / ms for DATE, TIME and TIMESTAMP.
import { SqlDecimal, type SqlType, type SqlValue } from '../../types/index.js';
import { SerdeError, type RowSerde, type SerdeTarget } from '../format.js';
import { fitDecimal, parseJavaDouble, parseJavaInteger } from '../json/json-to-sql.js';
import { javaDouble } from '../json/json-writer.js';
import { sideOf } from '../shape.js';
import { validateSerdeTarget } from '../support.js';
import { parseCsvRecord, writeCsvRecord } from './csv.js';

type Parse = (text: string) => SqlValue;
type Print = (value: SqlValue) => string;

function integerParser(bits: 32 | 64, asNumber: boolean): Parse {
  return (text) => {
    const value = parseJavaInteger(text, bits);
    if (value === undefined) throw new Error(`For input string: "${text}"`);
    return asNumber ? Number(value) : value;
  };
}

function parserFor(type: SqlType): Parse {
  switch (type.kind) {
    case 'BOOLEAN':
      return (text) => text.toLowerCase() === 'true';
    case 'INTEGER':
    case 'DATE':
    case 'TIME':
      return integerParser(32, true);
    case 'BIGINT':
      return integerParser(64, false);
    case 'TIMESTAMP':
      return integerParser(64, true);
    case 'DOUBLE':
      return (text) => {
        const value = parseJavaDouble(text);
        if (value === undefined) throw new Error(`For input string: "${text}"`);
        return value;
      };
    case 'DECIMAL':
      return (text) => fitDecimal(SqlDecimal.parse(text), type.precision, type.scale);
    case 'STRING':
      return (text) => text;
    case 'BYTES':
      return (text) => new Uint8Array(Buffer.from(text, 'base64'));
    default:
      throw new Error(`The 'DELIMITED' format does not support type '${type.kind}'`);
  }
}

function printerFor(type: SqlType): Print {
  switch (type.kind) {
    case 'DOUBLE':
      return (value) => {
        const text = javaDouble(value as number);
        return text.startsWith('"') ? text.slice(1, -1) : text;
      };
    case 'BYTES':
      return (value) => {
        const bytes = value as Uint8Array;
        return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
      };
    default:
      return (value) => String(value);
  }
}

export function delimitedSerde(target: SerdeTarget): RowSerde {
  validateSerdeTarget(target);
  const delimiter = target.options.delimiter ?? ',';
  const parsers = target.columns.map((column) => parserFor(column.type));
  const printers = target.columns.map((column) => printerFor(column.type));
  const count = target.columns.length;
  const side = sideOf(target);
  const fail = (message: string) =>
    new SerdeError(`Failed to deserialize ${side} from topic: ${target.topic}. ${message}`);
  return {
    serialize(values) {
      if (values === null) return null;
      if (count === 0) return null;
      const fields = new Array<string | null>(count);
      for (let i = 0; i < count; i++) fields[i] = values[i] === null ? null : printers[i](values[i]);
      return Buffer.from(writeCsvRecord(fields, delimiter), 'utf8');
    },
    deserialize(bytes) {
      if (bytes === null) return null;
      if (count === 0) return [];
      let fields: string[];
      try {
        fields = parseCsvRecord(bytes.toString('utf8'), delimiter);
      } catch (error) {
        throw fail((error as Error).message);
      }
      if (fields.length !== count) {
        throw fail(
          `Column count mismatch on deserialization. topic: ${target.topic}, expected: ${count}, got: ${fields.length}`,
        );
      }
      const row = new Array<SqlValue>(count);
      for (let i = 0; i < count; i++) {
        const field = fields[i];
        if (field === '') {
          row[i] = null;
          continue;
        }
        try {
          row[i] = parsers[i](field);
        } catch (error) {
          throw fail(
            `Could not parse column \`${target.columns[i].name}\` from '${field}': ${(error as Error).message}`,
          );
        }
      }
      return row;
    },
  };
}
