// A source's or sink's TIMESTAMP='col' column read as a record's timestamp: BIGINT and TIMESTAMP columns
// as epoch ms, a STRING column through its TIMESTAMP_FORMAT. A NULL, unreadable or negative timestamp is
// an error: Kafka Streams skips a record whose extracted timestamp is negative, and ksqlDB's sink drops a
// row whose timestamp it cannot extract.
import { parseInstant } from '../functions/date-time-format.js';
import type { DataSource } from '../planner/data-source.js';
import { parseTimestampText } from '../planner/java-text.js';
import type { SqlValue } from '../types/index.js';
import type { SqlRecord } from './records.js';

export type TimestampColumnReader = (record: SqlRecord) => number;

/** Reads `source`'s TIMESTAMP column from a record with a value; undefined when it names none. */
export function timestampColumnReader(source: DataSource): TimestampColumnReader | undefined {
  const spec = source.timestampColumn;
  if (spec === undefined) return undefined;
  const keyIndex = source.schema.key.findIndex((c) => c.name === spec.name);
  const valueIndex = source.schema.value.findIndex((c) => c.name === spec.name);
  const column = keyIndex >= 0 ? source.schema.key[keyIndex] : source.schema.value[valueIndex];
  if (column === undefined) throw new Error(`The TIMESTAMP column ${spec.name} is not in ${source.name}`);
  const read = (r: SqlRecord): SqlValue =>
    keyIndex >= 0 ? (r.key[keyIndex] ?? null) : r.value === null ? null : (r.value[valueIndex] ?? null);
  const format = spec.format;
  let convert: (v: SqlValue) => number;
  if (column.type.kind === 'STRING') {
    convert = (v) => {
      try {
        // A format is required in the WITH clause; without one, ISO text as CAST reads it.
        if (format === undefined) return parseTimestampText(v as string) ?? Number.NaN;
        return parseInstant(v as string, format);
      } catch (error) {
        throw new Error(
          `Unable to parse string timestamp. timestamp=${String(v)} timestamp_format=${format ?? ''}: ${(error as Error).message}`,
          { cause: error },
        );
      }
    };
  } else if (column.type.kind === 'BIGINT') convert = (v) => Number(v as bigint);
  else convert = (v) => v as number;
  return (r) => {
    const value = read(r);
    if (value === null) throw new Error(`The TIMESTAMP column ${spec.name} of ${source.name} is NULL`);
    const ms = convert(value);
    if (Number.isNaN(ms)) {
      throw new Error(
        `The TIMESTAMP column ${spec.name} of ${source.name} holds no valid timestamp: ${String(value)}`,
      );
    }
    if (ms < 0) throw new Error(`The TIMESTAMP column ${spec.name} of ${source.name} is negative: ${ms}`);
    return ms;
  };
}
