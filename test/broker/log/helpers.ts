// Shared fixtures for the log tests: temporary data dirs, batches built with the real record codec.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { batchSize } from '../../../src/protocol/records/batch-header.js';
import { decodeBatch, encodeBatch, type RecordInput } from '../../../src/protocol/records/record-codec.js';
import { resolveLogConfig, type LogConfig } from '../../../src/broker/log/log-config.js';
import { PartitionLog } from '../../../src/broker/log/partition-log.js';

export function tempDir(prefix = 'venice-log-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export function logConfig(overrides: Record<string, string> = {}): LogConfig {
  return resolveLogConfig(overrides);
}

export interface BatchOptions {
  timestamp?: number;
  producerId?: number;
  producerEpoch?: number;
  baseSequence?: number;
}

/** A batch of `count` records with values `${prefix}-${i}`. */
export function valuesBatch(count: number, prefix = 'v', options: BatchOptions = {}): Buffer {
  const records: RecordInput[] = [];
  for (let i = 0; i < count; i++)
    records.push({ value: `${prefix}-${i}`, timestamp: options.timestamp ?? 1_000 });
  return batchOf(records, options);
}

export function batchOf(records: RecordInput[], options: BatchOptions = {}): Buffer {
  return encodeBatch({
    records,
    producerId: options.producerId ?? -1,
    producerEpoch: options.producerEpoch ?? -1,
    baseSequence: options.baseSequence ?? -1,
  });
}

/** Every record of a read result, flattened. */
export function recordsOf(
  buffers: Buffer[],
): { offset: number; key: string | null; value: string | null; timestamp: number }[] {
  const out: { offset: number; key: string | null; value: string | null; timestamp: number }[] = [];
  for (const buffer of buffers) {
    let at = 0;
    while (at < buffer.length) {
      const size = batchSize(buffer, at);
      const decoded = decodeBatch(buffer.subarray(at, at + size));
      for (const record of decoded.records) {
        out.push({
          offset: Number(record.offset),
          key: record.key ? record.key.toString() : null,
          value: record.value ? record.value.toString() : null,
          timestamp: Number(record.timestamp),
        });
      }
      at += size;
    }
  }
  return out;
}

/** Reads the whole log from `from`, one read after another. */
export function readAll(
  log: PartitionLog,
  from = log.logStartOffset,
  maxBytes = 1 << 20,
): ReturnType<typeof recordsOf> {
  const out: ReturnType<typeof recordsOf> = [];
  let offset = from;
  while (offset < log.logEndOffset) {
    const result = log.read(offset, maxBytes);
    if (result.records.length === 0) break;
    const records = recordsOf(result.records);
    out.push(...records.filter((record) => record.offset >= offset));
    offset = records[records.length - 1].offset + 1;
  }
  return out;
}

export function openLog(
  dir: string,
  overrides: Record<string, string> = {},
  now?: () => number,
): PartitionLog {
  return PartitionLog.open(dir, { topic: 't', partition: 0, config: logConfig(overrides), now });
}
