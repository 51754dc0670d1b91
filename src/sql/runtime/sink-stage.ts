// The last stage of a persistent query: a SqlRecord of the sink's schema becomes a Kafka record. The
// timestamp is the record's ROWTIME, or the sink's TIMESTAMP column; a windowed key carries its window.
import type { ProduceRecord } from '../../client/index.js';
import type { RowSerde } from '../formats/format.js';
import type { DataSource } from '../planner/data-source.js';
import type { SqlValue } from '../types/index.js';
import type { SqlRecord } from './records.js';
import { keyTarget, storedValueColumns, valueTarget, type SerdeFactory } from './source-stage.js';
import { encodeWindowedKey } from './windowed-key.js';

export class SinkEncoder {
  readonly #storedIndexes: number[] | undefined;
  readonly #timestampIndex: number;

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
    const ts = sink.timestampColumn?.name;
    this.#timestampIndex = ts === undefined ? -1 : sink.schema.value.findIndex((c) => c.name === ts);
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
    const timestamp = BigInt(this.#timestampOf(record));
    // The input record's headers go on with it, as Kafka Streams forwards them.
    if (record.headers === undefined) return { topic: this.sink.topic, key, value, timestamp };
    return { topic: this.sink.topic, key, value, timestamp, headers: record.headers };
  }

  #timestampOf(record: SqlRecord): number {
    if (this.#timestampIndex < 0 || record.value === null) return record.timestamp;
    const v = record.value[this.#timestampIndex];
    if (typeof v === 'bigint') return Number(v);
    if (typeof v === 'number') return v;
    return record.timestamp;
  }
}
