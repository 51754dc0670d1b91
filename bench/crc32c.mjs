// Micro-benchmark of the pure-JS CRC-32C used to verify produced batches.
// Run after `npm run build`: node bench/crc32c.mjs
import { crc32c } from '../dist/protocol/records/crc32c.js';

const MiB = 1 << 20;
const data = Buffer.alloc(MiB);
for (let i = 0; i < data.length; i++) data[i] = (Math.imul(i, 2654435761) >>> 24) & 0xff;

function measure(label, size, offset = 0) {
  const view = data.subarray(offset, offset + size);
  const rounds = Math.max(20, Math.ceil((64 * MiB) / size));
  for (let i = 0; i < rounds; i++) crc32c(view); // warm-up
  let best = Infinity;
  for (let trial = 0; trial < 7; trial++) {
    const started = process.hrtime.bigint();
    for (let i = 0; i < rounds; i++) crc32c(view);
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    best = Math.min(best, seconds);
  }
  const mbPerSecond = (rounds * size) / MiB / best;
  console.log(`${label.padEnd(28)} ${mbPerSecond.toFixed(0).padStart(6)} MB/s`);
}

measure('1 MiB, aligned', MiB);
measure('1 MiB - 8, unaligned', MiB - 8, 3);
measure('16 KiB batch', 16 * 1024);
measure('1 KiB batch', 1024);
measure('120 B batch', 120);
