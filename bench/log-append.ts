// Throughput of the partition log alone: append and read of 100-byte records in batches of 1000, then
// appends of small idempotent batches (10 records), where the per-batch work of append shows
// (RECORDS_PER_BATCH=n for another size of the first batches).
// Run: npx tsx bench/log-append.ts   (not a vitest file; prints records/s)
import fs from 'node:fs';
import { BatchOffset, batchSize, computeCrc, lastOffsetOf } from '../src/protocol/records/batch-header.js';
import { encodeBatch } from '../src/protocol/records/record-codec.js';
import { openLog, tempDir } from '../test/broker/log/helpers.js';

// RECORDS_PER_BATCH=1 measures the per-append cost rather than the copy of 100 KB batches.
const RECORDS_PER_BATCH = Number(process.env.RECORDS_PER_BATCH ?? 1000);
const BATCHES = Number(process.argv[2] ?? 2000);
const value = Buffer.alloc(100, 'x');

const template = encodeBatch({
  records: Array.from({ length: RECORDS_PER_BATCH }, () => ({ value, timestamp: Date.now() })),
});
const dir = tempDir('venice-bench-');
const log = openLog(dir, { 'segment.bytes': String(256 * 1024 * 1024) });

// Each produce request brings its own buffer; copying the template stands in for the network read.
const inputs = Array.from({ length: 64 }, () => Buffer.from(template));
let start = process.hrtime.bigint();
for (let i = 0; i < BATCHES; i++) {
  const batch = inputs[i % inputs.length];
  const result = log.append([batch]);
  if (result.errorCode !== 0) throw new Error(`append failed: ${result.errorCode}`);
}
let seconds = Number(process.hrtime.bigint() - start) / 1e9;
const total = BATCHES * RECORDS_PER_BATCH;
console.log(
  `append: ${Math.round(total / seconds).toLocaleString()} records/s (${((BATCHES * template.length) / seconds / 1e6).toFixed(0)} MB/s, batch ${template.length} bytes)`,
);

for (const maxBytes of [1024 * 1024, 10 * 1024 * 1024]) {
  start = process.hrtime.bigint();
  let offset = 0;
  let bytes = 0;
  while (offset < log.logEndOffset) {
    const read = log.read(offset, maxBytes);
    const data = read.records[0];
    bytes += data.length;
    // The next offset from the last batch header in the slice, as a fetch handler would not even need to.
    let at = 0;
    let last = offset;
    while (at < data.length) {
      last = lastOffsetOf(data, at);
      at += batchSize(data, at);
    }
    offset = last + 1;
  }
  seconds = Number(process.hrtime.bigint() - start) / 1e9;
  console.log(
    `read (maxBytes ${maxBytes >> 20} MiB): ${Math.round(total / seconds).toLocaleString()} records/s (${(bytes / seconds / 1e6).toFixed(0)} MB/s)`,
  );
}

// Tailing: append one batch, read it back at once, as a caught-up consumer does.
start = process.hrtime.bigint();
let next = log.logEndOffset;
const tailBatches = Math.min(BATCHES, 1000);
for (let i = 0; i < tailBatches; i++) {
  log.append([inputs[i % inputs.length]]);
  const read = log.read(next, 1024 * 1024);
  if (read.records.length === 0) throw new Error('tail read found nothing');
  next = log.logEndOffset;
}
seconds = Number(process.hrtime.bigint() - start) / 1e9;
console.log(
  `append+tail read: ${Math.round((tailBatches * RECORDS_PER_BATCH) / seconds).toLocaleString()} records/s`,
);

start = process.hrtime.bigint();
await log.flush();
console.log(`flush: ${(Number(process.hrtime.bigint() - start) / 1e6).toFixed(1)} ms`);
await log.close();
fs.rmSync(dir, { recursive: true, force: true });

// Small idempotent batches: producer-state checks and the per-batch header reads dominate.
const SMALL_BATCHES = 100_000;
const SMALL_RECORDS = 10;
const smallTemplate = encodeBatch({
  records: Array.from({ length: SMALL_RECORDS }, () => ({ value, timestamp: Date.now() })),
  producerId: 1,
  producerEpoch: 0,
  baseSequence: 0,
});
const smallInputs = Array.from({ length: SMALL_BATCHES }, (_, i) => {
  const batch = Buffer.from(smallTemplate);
  batch.writeInt32BE(i * SMALL_RECORDS, BatchOffset.baseSequence);
  batch.writeUInt32BE(computeCrc(batch, 0), BatchOffset.crc);
  return batch;
});
const smallDir = tempDir('venice-bench-');
const smallLog = openLog(smallDir, { 'segment.bytes': String(256 * 1024 * 1024) });
start = process.hrtime.bigint();
for (const batch of smallInputs) {
  const result = smallLog.append([batch]);
  if (result.errorCode !== 0) throw new Error(`append failed: ${result.errorCode}`);
}
seconds = Number(process.hrtime.bigint() - start) / 1e9;
console.log(
  `append idempotent ${SMALL_RECORDS}-record batches: ${Math.round(SMALL_BATCHES / seconds).toLocaleString()} batches/s`,
);
await smallLog.close();
fs.rmSync(smallDir, { recursive: true, force: true });
