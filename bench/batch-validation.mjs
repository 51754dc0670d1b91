// Micro-benchmark of the produce-path batch handling: split + validate (CRC) + header read + offset
// assignment, on batches of 100 records of ~100 bytes. Run after `npm run build`.
import { assignOffsets, encodeBatch, readBatchInfo, splitBatches } from '../dist/protocol/records/index.js';

const RECORDS_PER_BATCH = 100;
const value = Buffer.alloc(90, 'v');
const batch = encodeBatch({
  records: Array.from({ length: RECORDS_PER_BATCH }, (_, i) => ({ key: `key-${i}`, value })),
});
// One produce request's worth of partitions, each carrying one batch.
const requests = Array.from({ length: 64 }, () => Buffer.from(batch));

function run(rounds) {
  let offset = 0n;
  for (let round = 0; round < rounds; round++) {
    for (const records of requests) {
      for (const view of splitBatches(records, { fromClient: true })) {
        const info = readBatchInfo(view);
        assignOffsets(view, offset);
        offset += BigInt(info.lastOffsetDelta + 1);
      }
    }
  }
}

run(200); // warm-up
let best = Infinity;
const rounds = 500;
for (let trial = 0; trial < 5; trial++) {
  const started = process.hrtime.bigint();
  run(rounds);
  best = Math.min(best, Number(process.hrtime.bigint() - started) / 1e9);
}
const batches = rounds * requests.length;
console.log(`batch size ${batch.length} bytes, ${RECORDS_PER_BATCH} records`);
console.log(
  `${(batches / best).toFixed(0)} batches/s, ${((batches * RECORDS_PER_BATCH) / best / 1e6).toFixed(1)}M records/s, ${((batches * batch.length) / best / 2 ** 20).toFixed(0)} MB/s`,
);
