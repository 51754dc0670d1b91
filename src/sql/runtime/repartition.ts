// Repartition topics: where a persistent query re-keys before stateful work, the records go through
// `_confluent-ksql-<service id>query_<QUERY_ID>-<step>-repartition` (ksqlDB's name, e.g.
// `...-Aggregate-GroupBy-repartition`), keyed by the new key so that Kafka's default partitioner (murmur2,
// as Java clients compute it) puts all of a key's records on one partition; the stateful part reads the
// topic back as a second sub-topology of the same consumer group.
//
// The record's key is the new key in the sink's key format when it is the sink's key (an aggregation's
// group key: the same bytes ksqlDB would write), in a source's key format for a join side that must meet
// that source's partitions, else its key string. The value is Venice's own: the whole record (key,
// value, previous row, window, ROWPARTITION/ROWOFFSET) as tagged JSON (changelog.ts), since what comes
// after the cut may read any column of it, and the writer's ticket when the reading side keeps arrival
// order (arrival-order.ts). The timestamp is the record's ROWTIME.
import { keyPartition, type ConsumedRecord, type ProduceRecord } from '../../client/index.js';
import type { DataSource } from '../planner/data-source.js';
import type { RepartitionPoint } from '../planner/plan.js';
import type { SqlValue } from '../types/index.js';
import { isNotEncodable, tagColumns, untagColumnsInPlace } from './changelog.js';
import { keyString } from './key-string.js';
import type { Operator, OperatorContext } from './operator.js';
import type { SqlRecord, WindowBounds } from './records.js';

export const REPARTITION_SUFFIX = '-repartition';

export function repartitionTopic(serviceId: string, queryId: string, step: string): string {
  return `_confluent-ksql-${serviceId}query_${queryId}-${step}${REPARTITION_SUFFIX}`;
}

/** What a repartition record's value holds. */
interface RepartitionedData {
  readonly k: readonly SqlValue[];
  readonly v: readonly SqlValue[] | null;
  /** The table's previous row: absent on streams. */
  readonly p?: readonly SqlValue[] | null;
  readonly w?: WindowBounds;
  /** ROWPARTITION and ROWOFFSET of the input record. */
  readonly o: readonly [number, number];
  /** The group key the repartition step evaluated (SqlRecord.groupKey). */
  readonly g?: readonly SqlValue[];
  /** The writer's ticket: its run, then the record's number in that run. */
  readonly t?: readonly [number, number];
}

/** A repartition record read back, with the ticket its writer gave it. */
export interface RepartitionedRead {
  readonly record: SqlRecord;
  readonly ticket?: readonly [run: number, number: number];
}

/** Hands out tickets for records written to a partition the reading side waits for (arrival-order.ts). */
export interface TicketOffice {
  readonly run: number;
  /** The record's ticket number, or undefined when nothing waits for that partition. */
  take(partition: number): number | undefined;
}

export interface RepartitionWriterOptions {
  readonly topic: string;
  /** The topic's partition count: a record with a NULL key keeps its input partition (modulo this). */
  readonly partitions: number;
  readonly point: RepartitionPoint;
  readonly outputs: ProduceRecord[];
  readonly context: OperatorContext;
  /** The key in the sink's key format, when the point's key is the sink's key; throws if it cannot be. */
  readonly sinkKey?: (key: readonly SqlValue[]) => Buffer | null;
  /** The key in a source's key format (a join side meeting that source's partitions); throws if it cannot be. */
  readonly sourceKey?: (source: DataSource, key: readonly SqlValue[]) => Buffer | null;
  readonly tickets?: TicketOffice;
}

/** The operator before the cut: each record (or each part of a table change) written to the topic. */
export function repartitionWriter(options: RepartitionWriterOptions): Operator {
  const { topic, partitions, point, outputs, context, sinkKey, sourceKey, tickets } = options;
  const format = point.keyFormat;
  const encode =
    format === 'sink'
      ? sinkKey
      : format === 'text' || sourceKey === undefined
        ? undefined
        : (key: readonly SqlValue[]) => sourceKey(format.source, key);
  const keyBytes = (key: readonly SqlValue[]): Buffer | null => {
    if (encode !== undefined) {
      try {
        return encode(key);
      } catch {
        // Not in that format (the record fails there anyway): partitioned by its key string.
      }
    }
    return Buffer.from(keyString(key));
  };
  return {
    process(input) {
      for (const { key, record } of point.split(input)) {
        const bytes = key === null ? null : keyBytes(key);
        // Placed here rather than by the producer, so that a waiting reader knows where it will arrive.
        const partition = bytes === null ? record.partition % partitions : keyPartition(bytes, partitions);
        const ticket = tickets?.take(partition);
        const value = encodeRepartitioned(
          record,
          ticket === undefined ? undefined : [tickets?.run ?? 0, ticket],
        );
        if (value === undefined) {
          context.processingError({
            message: `A record has no repartition form for ${topic}`,
            record,
          });
          continue;
        }
        const produced: ProduceRecord = {
          topic,
          value,
          timestamp: BigInt(Math.trunc(record.timestamp)),
          key: bytes,
          partition,
        };
        if (record.headers !== undefined) produced.headers = record.headers;
        outputs.push(produced);
      }
    },
  };
}

/**
 * The record's repartition value: tagged JSON (changelog.ts) as encodeStoreValue writes it, built with
 * only the column arrays tagged (the rest of RepartitionedData is plain), which costs a fraction of
 * tagging the whole object; undefined when a value has no faithful form.
 */
function encodeRepartitioned(
  record: SqlRecord,
  ticket: readonly [number, number] | undefined,
): Buffer | undefined {
  try {
    // Fields assigned one by one, in the order JSON has always had them: conditional spreads cost
    // more than the rest of the encoding.
    const data: { -readonly [F in keyof RepartitionedData]?: RepartitionedData[F] } = {
      k: tagColumns(record.key) as readonly SqlValue[],
      v: record.value === null ? null : (tagColumns(record.value) as readonly SqlValue[]),
    };
    if (record.previous !== undefined)
      data.p = record.previous === null ? null : (tagColumns(record.previous) as readonly SqlValue[]);
    if (record.window !== undefined) data.w = windowForm(record.window);
    data.o = [record.partition, record.offset];
    if (record.groupKey !== undefined) data.g = tagColumns(record.groupKey) as readonly SqlValue[];
    if (ticket !== undefined) data.t = ticket;
    return Buffer.from(JSON.stringify(data));
  } catch (error) {
    if (isNotEncodable(error)) return undefined;
    throw error;
  }
}

/** Bounds as they are when finite (always, but for a window without an end), else tagged. */
function windowForm(window: WindowBounds): WindowBounds {
  return Number.isFinite(window.start) && Number.isFinite(window.end)
    ? window
    : (tagColumns([window])[0] as WindowBounds);
}

/** Undoes encodeRepartitioned (and reads what encodeStoreValue wrote, the same form). */
function decodeRepartitionedData(bytes: Buffer): RepartitionedData {
  const data = JSON.parse(bytes.toString('utf8')) as {
    k: unknown[];
    v: unknown[] | null;
    p?: unknown[] | null;
    w?: WindowBounds;
  };
  untagColumnsInPlace(data.k);
  if (data.v !== null) untagColumnsInPlace(data.v);
  if (data.p != null) untagColumnsInPlace(data.p);
  const { g } = data as { g?: unknown[] };
  if (g !== undefined) untagColumnsInPlace(g);
  if (data.w !== undefined && (typeof data.w.start !== 'number' || typeof data.w.end !== 'number'))
    data.w = untagColumnsInPlace([data.w])[0] as WindowBounds;
  return data as unknown as RepartitionedData;
}

/** A repartition record read back: the record as it was before the cut, and its ticket. */
export function readRepartitioned(consumed: ConsumedRecord): RepartitionedRead {
  if (consumed.value === null) throw new Error('a repartition record without a value');
  const data = decodeRepartitionedData(consumed.value);
  const [partition, offset] = data.o;
  const record: SqlRecord = {
    key: data.k,
    value: data.v,
    timestamp: Number(consumed.timestamp),
    partition,
    offset,
    ...(data.p === undefined ? {} : { previous: data.p }),
    ...(data.w === undefined ? {} : { window: data.w }),
    ...(data.g === undefined ? {} : { groupKey: data.g }),
    ...(consumed.headers.length === 0 ? {} : { headers: consumed.headers }),
  };
  return data.t === undefined ? { record } : { record, ticket: data.t };
}

/** A repartition record read back: the record as it was before the cut. */
export function decodeRepartitioned(consumed: ConsumedRecord): SqlRecord {
  return readRepartitioned(consumed).record;
}
