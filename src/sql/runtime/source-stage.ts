// The first stage of a query: a consumed Kafka record becomes a SqlRecord of its source's schema. The key
// and value go through the formats' serdes (a schema-registry serde may first need a writer schema: it
// throws SchemaNotLoadedError and `decode` loads it and tries again), header columns come from the
// record's headers, windowed keys are split into key and window, and ROWTIME comes from the TIMESTAMP
// column when the source names one.
import type { ConsumedRecord } from '../../client/index.js';
import { SchemaNotLoadedError, type RowSerde, type SerdeTarget } from '../formats/format.js';
import type { DataSource } from '../planner/data-source.js';
import type { Column } from '../planner/schema.js';
import type { SqlValue } from '../types/index.js';
import type { SqlRecord } from './records.js';
import { timestampColumnReader, type TimestampColumnReader } from './timestamp-column.js';
import { decodeWindowedKey } from './windowed-key.js';

export type SerdeFactory = (target: SerdeTarget) => Promise<RowSerde>;

export function keyTarget(source: DataSource): SerdeTarget {
  return {
    topic: source.topic,
    isKey: true,
    columns: source.schema.key,
    format: source.keyFormat,
    options: source.keyOptions,
  };
}

/** The value columns the value serde carries: header columns live in the record's headers instead. */
export function storedValueColumns(source: Pick<DataSource, 'schema'>): Column[] {
  return source.schema.value.filter((c) => c.header === undefined);
}

export function valueTarget(source: DataSource): SerdeTarget {
  return {
    topic: source.topic,
    isKey: false,
    columns: storedValueColumns(source),
    format: source.valueFormat,
    options: source.valueOptions,
  };
}

function headerReader(column: Column): (headers: ConsumedRecord['headers']) => SqlValue {
  const key = column.header?.key;
  if (key === undefined) {
    return (headers) =>
      headers.map((h) => ({ KEY: h.key, VALUE: h.value === null ? null : new Uint8Array(h.value) }));
  }
  return (headers) => {
    for (let i = headers.length - 1; i >= 0; i--) {
      const h = headers[i];
      if (h?.key === key) return h.value === null ? null : new Uint8Array(h.value);
    }
    return null;
  };
}

export class SourceDecoder {
  readonly #headers: { index: number; read: (h: ConsumedRecord['headers']) => SqlValue }[];
  readonly #storedIndexes: number[];
  readonly #timestamp: TimestampColumnReader | undefined;

  private constructor(
    readonly source: DataSource,
    private readonly keySerde: RowSerde,
    private readonly valueSerde: RowSerde,
  ) {
    const value = source.schema.value;
    this.#headers = value.flatMap((c, index) =>
      c.header === undefined ? [] : [{ index, read: headerReader(c) }],
    );
    this.#storedIndexes = value.flatMap((c, index) => (c.header === undefined ? [index] : []));
    this.#timestamp = timestampColumnReader(source);
  }

  static async create(source: DataSource, createSerde: SerdeFactory): Promise<SourceDecoder> {
    const [key, value] = await Promise.all([
      createSerde(keyTarget(source)),
      createSerde(valueTarget(source)),
    ]);
    return new SourceDecoder(source, key, value);
  }

  /** Decodes one record, loading a missing writer schema first. Throws on bad data. */
  async decode(record: ConsumedRecord): Promise<SqlRecord> {
    for (let attempt = 0; ; attempt++) {
      try {
        return this.decodeLoaded(record);
      } catch (error) {
        if (!(error instanceof SchemaNotLoadedError) || attempt >= 2) throw error;
        await Promise.all([this.keySerde.load?.(error.schemaId), this.valueSerde.load?.(error.schemaId)]);
      }
    }
  }

  /** Decodes one record whose writer schemas are loaded: synchronous, for the common case. */
  decodeLoaded(record: ConsumedRecord): SqlRecord {
    const { source } = this;
    let keyBytes = record.key;
    let window: SqlRecord['window'];
    if (source.window !== undefined && keyBytes !== null) {
      const split = decodeWindowedKey(keyBytes, source.window.type, source.window.sizeMs);
      keyBytes = split.key;
      window = split.window;
    }
    const keyColumns = source.schema.key.length;
    const key: readonly SqlValue[] =
      keyColumns === 0
        ? []
        : (this.keySerde.deserialize(keyBytes) ?? new Array<SqlValue>(keyColumns).fill(null));
    const stored = this.valueSerde.deserialize(record.value);
    let value: SqlValue[] | null = stored;
    if (stored !== null && this.#headers.length > 0) {
      value = new Array<SqlValue>(source.schema.value.length).fill(null);
      this.#storedIndexes.forEach((at, i) => {
        (value as SqlValue[])[at] = stored[i] ?? null;
      });
      for (const h of this.#headers) value[h.index] = h.read(record.headers);
    }
    const decoded: SqlRecord = {
      key,
      value,
      timestamp: Number(record.timestamp),
      partition: record.partition,
      offset: Number(record.offset),
      ...(window === undefined ? {} : { window }),
      ...(record.headers.length === 0 ? {} : { headers: record.headers }),
    };
    if (this.#timestamp === undefined || value === null) return decoded;
    return { ...decoded, timestamp: this.#timestamp(decoded) };
  }
}
