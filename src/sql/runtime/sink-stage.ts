// The last stage of a persistent query: a SqlRecord of the sink's schema becomes a Kafka record with the
// record's ROWTIME as its timestamp (see withSinkTimestamp for a sink's TIMESTAMP column); a windowed key
// carries its window.
import type { ProduceRecord } from '../../client/index.js';
import type { RowSerde } from '../formats/format.js';
import type { DataSource } from '../planner/data-source.js';
import type { SqlValue } from '../types/index.js';
import type { SqlRecord } from './records.js';
import { timestampColumnReader } from './timestamp-column.js';
import { keyTarget, storedValueColumns, valueTarget, type SerdeFactory } from './source-stage.js';
import { encodeWindowedKey } from './windowed-key.js';

export class SinkEncoder {
  readonly #storedIndexes: number[] | undefined;

  private constructor(
    readonly sink: DataSource,
    private readonly keySerde: RowSerde,
    private readonly valueSerde: RowSerde,
  ) {
    const stored = storedValueColumns(sink);
    this.#storedIndexes =
      stored.length === sink.schema.value.length
        ? undefined
        : stored.map((c) => sink.schema.value.indexOf(c));
  }

  static async create(sink: DataSource, createSerde: SerdeFactory): Promise<SinkEncoder> {
    const [key, value] = await Promise.all([createSerde(keyTarget(sink)), createSerde(valueTarget(sink))]);
    return new SinkEncoder(sink, key, value);
  }

  /** A key (unwindowed) in the sink's key format, e.g. to partition a repartition topic alike. */
  encodeKey(key: readonly SqlValue[]): Buffer | null {
    if (key.length !== this.sink.schema.key.length) throw new Error('not the sink key');
    return this.keySerde.serialize(key);
  }

  /** Throws when the record cannot be serialized (the caller reports it and goes on). */
  encode(record: SqlRecord): ProduceRecord {
    let key = this.sink.schema.key.length === 0 ? null : this.keySerde.serialize(record.key);
    if (record.window !== undefined && this.sink.window !== undefined) {
      key = encodeWindowedKey(key, record.window, this.sink.window.type);
    }
    let values: readonly SqlValue[] | null = record.value;
    if (values !== null && this.#storedIndexes !== undefined) {
      const all = values;
      values = this.#storedIndexes.map((i) => all[i] ?? null);
    }
    const value = this.valueSerde.serialize(values);
    const timestamp = BigInt(record.timestamp);
    // The input record's headers go on with it, as Kafka Streams forwards them.
    if (record.headers === undefined) return { topic: this.sink.topic, key, value, timestamp };
    return { topic: this.sink.topic, key, value, timestamp, headers: record.headers };
  }
}

/**
 * For a sink with a TIMESTAMP column (CREATE ... WITH (TIMESTAMP='col') AS SELECT): a record with its
 * timestamp taken from that column, as ksqlDB sets it before writing. A tombstone gets the latest
 * timestamp seen (ksqlDB's stream time). Throws when the column holds no valid timestamp (NULL,
 * unreadable text, negative): ksqlDB logs the row and drops it. Undefined when the sink names no column.
 */
export function sinkTimestamper(sink: DataSource): ((record: SqlRecord) => SqlRecord) | undefined {
  const read = timestampColumnReader(sink);
  if (read === undefined) return undefined;
  let streamTime = -1;
  return (record) => {
    if (record.timestamp > streamTime) streamTime = record.timestamp;
    const timestamp = record.value === null ? streamTime : read(record);
    return timestamp === record.timestamp ? record : { ...record, timestamp };
  };
}
