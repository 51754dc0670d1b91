// CRC-32C: the native implementation (@node-rs/crc32) against the pure-JS fallback, in the same run,
// over range sizes from a small batch to 1 MiB, plus the dispatching crc32c() that Venice calls.
// Run: npm run bench:crc32c (builds first). Prints MB/s and ns per call, medians of 9 trials.
import {
  crc32c,
  crc32cImplementation,
  crc32cJs,
  nativeCrc32c,
  NATIVE_MIN_BYTES,
} from '../dist/protocol/records/crc32c.js';

const MiB = 1 << 20;
const TRIALS = 9;
const data = Buffer.alloc(MiB + 16);
for (let i = 0; i < data.length; i++) data[i] = (Math.imul(i, 2654435761) >>> 24) & 0xff;

/** Median seconds for `rounds` calls of `fn` on data[offset, offset + size). */
function median(fn, size, offset) {
  const end = offset + size;
  const rounds = Math.max(200, Math.ceil((32 * MiB) / size));
  let sink = 0;
  for (let i = 0; i < rounds; i++) sink ^= fn(data, offset, end); // warm-up
  const times = [];
  for (let trial = 0; trial < TRIALS; trial++) {
    const started = process.hrtime.bigint();
    for (let i = 0; i < rounds; i++) sink ^= fn(data, offset, end);
    times.push(Number(process.hrtime.bigint() - started) / 1e9 / rounds);
  }
  if (sink === 0.5) console.log(sink); // keeps the calls from being optimised away
  times.sort((a, b) => a - b);
  return times[Math.floor(TRIALS / 2)];
}

const implementations = [['js', (buf, start, end) => crc32cJs(buf, start, end)]];
if (nativeCrc32c) {
  // The native API takes a whole view, so a range costs a subarray: counted, as crc32c() pays it too.
  implementations.push(['native', (buf, start, end) => nativeCrc32c(buf.subarray(start, end))]);
}
implementations.push([`crc32c() (${crc32cImplementation} from ${NATIVE_MIN_BYTES} B)`, crc32c]);

const sizes = [
  ['100 B', 100],
  ['200 B', 200],
  ['300 B', 300],
  ['512 B', 512],
  ['1 KiB', 1024],
  ['4 KiB', 4096],
  ['16 KiB', 16 * 1024],
  ['64 KiB', 64 * 1024],
  ['1 MiB', MiB],
];

console.log(
  `Node ${process.version}, ${TRIALS} trials, median; native module ${nativeCrc32c ? 'loaded' : 'NOT loaded'}`,
);
console.log(`${'size'.padEnd(8)} ${implementations.map(([name]) => name.padStart(34)).join(' ')}`);
for (const [label, size] of sizes) {
  const cells = implementations.map(([, fn]) => {
    const seconds = median(fn, size, 3); // an odd offset, as a batch inside a request buffer is
    const mbPerSecond = size / 1e6 / seconds;
    return `${mbPerSecond.toFixed(0).padStart(7)} MB/s ${(seconds * 1e9).toFixed(0).padStart(9)} ns/call`.padStart(
      34,
    );
  });
  console.log(`${label.padEnd(8)} ${cells.join(' ')}`);
}
