// A TIMESTAMP='col' column as a record's timestamp: read at a source (timestampColumnReader) and set on
// a CREATE ... AS SELECT's output (sinkTimestamper), refusing NULL, unreadable and negative timestamps.
import { describe, expect, it } from 'vitest';
import type { DataSource } from '../../../src/sql/planner/data-source.js';
import { sinkTimestamper } from '../../../src/sql/runtime/sink-stage.js';
import type { SqlRecord } from '../../../src/sql/runtime/records.js';
import { timestampColumnReader } from '../../../src/sql/runtime/timestamp-column.js';
import { SqlTypes, type SqlType, type SqlValue } from '../../../src/sql/types/index.js';
import { jsonSource, keyColumn, valueColumn } from '../helpers/data-source.js';

function withColumn(type: SqlType, format?: string): DataSource {
  return jsonSource({
    name: 'TS',
    topic: 'ts',
    key: [keyColumn('K', SqlTypes.STRING)],
    value: [valueColumn('ID', SqlTypes.BIGINT), valueColumn('EVENT_TS', type)],
    timestampColumn: { name: 'EVENT_TS', ...(format === undefined ? {} : { format }) },
  });
}

const row = (eventTs: SqlValue, timestamp = 10): SqlRecord => ({
  key: ['a'],
  value: [1n, eventTs],
  timestamp,
  partition: 0,
  offset: 0,
});

describe('TIMESTAMP column', () => {
  it('reads BIGINT, TIMESTAMP and formatted STRING columns as epoch ms', () => {
    expect(timestampColumnReader(withColumn(SqlTypes.BIGINT))?.(row(1526075913000n))).toBe(1526075913000);
    expect(timestampColumnReader(withColumn(SqlTypes.TIMESTAMP))?.(row(1589234313000))).toBe(1589234313000);
    const text = timestampColumnReader(withColumn(SqlTypes.STRING, "yyyy-MM-dd'T'HH:mm:ssX"));
    expect(text?.(row('2018-05-11T21:58:33Z'))).toBe(1526075913000);
  });

  it('refuses NULL, unreadable and negative timestamps', () => {
    const bigint = timestampColumnReader(withColumn(SqlTypes.BIGINT));
    expect(() => bigint?.(row(null))).toThrow(/is NULL/);
    expect(() => bigint?.(row(-1n))).toThrow(/is negative/);
    const text = timestampColumnReader(withColumn(SqlTypes.STRING, "yyyy-MM-dd'T'HH:mm:ssX"));
    expect(() => text?.(row('not a timestamp'))).toThrow(/^Unable to parse string timestamp/);
  });

  it('is absent for a source that names no column', () => {
    const { timestampColumn: _column, ...plain } = withColumn(SqlTypes.BIGINT);
    expect(timestampColumnReader(plain)).toBeUndefined();
    expect(sinkTimestamper(plain)).toBeUndefined();
  });

  it("sets a sink record's timestamp from the column; a tombstone gets the latest timestamp seen", () => {
    const stamp = sinkTimestamper(withColumn(SqlTypes.BIGINT));
    expect(stamp?.(row(3n, 1589234313000)).timestamp).toBe(3);
    expect(() => stamp?.(row(-2n))).toThrow(/negative/);
    const tombstone: SqlRecord = { key: ['a'], value: null, timestamp: 5, partition: 0, offset: 0 };
    expect(stamp?.(tombstone).timestamp).toBe(1589234313000);
  });
});
