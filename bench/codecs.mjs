// Compression codecs on realistic Kafka batches: Venice's compress()/decompress() (what the broker
// and the log cleaner run) beside every candidate implementation that is installed, in one run.
// Run: npm run bench:codecs (builds first). Packages that are not dependencies of Venice are
// measured when present, e.g. after `npm install --no-save lz4js snappyjs @bokuweb/zstd-wasm`.
// `npm run bench:codecs -- --baseline DIR/dist/protocol/records/compression.js` also measures the
// codecs of another build of Venice (an older commit built elsewhere), labelled "baseline".
//
// Input: the records section of a magic-2 batch (what a codec sees), of 1,000 and of 10 records with
// 100-byte JSON-ish values and short keys. Throughput is MB/s of uncompressed bytes, the median of 31 trials and the best one (the
// best shows the code's own speed when other work shares the machine).
import { createRequire } from 'node:module';
import path from 'node:path';
import zlib from 'node:zlib';
import { BATCH_HEADER_SIZE } from '../dist/protocol/records/batch-header.js';
import { Compression } from '../dist/protocol/records/batch-header.js';
import { compress, decompress } from '../dist/protocol/records/compression.js';
import { encodeBatch } from '../dist/protocol/records/record-codec.js';

const require = createRequire(import.meta.url);
const TRIALS = 31;

function optional(name) {
  try {
    return require(name);
  } catch {
    return undefined;
  }
}

async function optionalImport(name) {
  try {
    return await import(name);
  } catch {
    return undefined;
  }
}

/** A records section of `count` records, values like {"id":123,"user":"u-42",...} padded to 100 B. */
function recordsSection(count) {
  const records = [];
  for (let i = 0; i < count; i++) {
    const body = JSON.stringify({
      id: 100000 + i,
      user: `user-${(i * 7919) % 1000}`,
      action: ['view', 'click', 'buy', 'share'][i % 4],
      amount: ((i * 37) % 10000) / 100,
      ts: 1764930000000 + i * 13,
    });
    records.push({ key: `user-${(i * 7919) % 1000}`, value: body.padEnd(100, ' ').slice(0, 100) });
  }
  const batch = encodeBatch({ records, baseTimestamp: 1764930000000 });
  return batch.subarray(BATCH_HEADER_SIZE);
}

/** Wall seconds per call, over a short trial (a few milliseconds) so that trials interleave finely. */
function secondsPerCall(fn, input, rounds) {
  const started = process.hrtime.bigint();
  for (let i = 0; i < rounds; i++) fn(input);
  return Number(process.hrtime.bigint() - started) / 1e9 / rounds;
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/**
 * Trials take turns across implementations (one trial of each, then the next round), so that a
 * burst of load elsewhere on the machine falls on all of them rather than on one.
 */
function measureAll(list, input) {
  const rounds = Math.max(10, Math.ceil((1 << 20) / input.length));
  const jobs = list.map((impl) => {
    const writer = impl.compressFn
      ? impl
      : list.find((other) => other.codec === impl.codec && other.compressFn);
    const packed = writer.compressFn(input);
    for (let i = 0; i < rounds; i++) impl.decompressFn(packed); // warm-up
    if (impl.compressFn) for (let i = 0; i < rounds; i++) impl.compressFn(input);
    return { impl, packed, compressTimes: [], decompressTimes: [] };
  });
  for (let trial = 0; trial < TRIALS; trial++) {
    for (const job of jobs) {
      if (job.impl.compressFn) job.compressTimes.push(secondsPerCall(job.impl.compressFn, input, rounds));
      job.decompressTimes.push(secondsPerCall(job.impl.decompressFn, job.packed, rounds));
    }
  }
  return jobs.map((job) => ({
    ...job,
    ratio: job.impl.compressFn ? input.length / job.packed.length : undefined,
    compressMBps: job.impl.compressFn ? input.length / 1e6 / median(job.compressTimes) : undefined,
    decompressMBps: input.length / 1e6 / median(job.decompressTimes),
    bestCompressMBps: job.impl.compressFn ? input.length / 1e6 / Math.min(...job.compressTimes) : undefined,
    bestDecompressMBps: input.length / 1e6 / Math.min(...job.decompressTimes),
  }));
}

function baselinePath() {
  const at = process.argv.indexOf('--baseline');
  return at > 0 ? process.argv[at + 1] : undefined;
}

async function implementations() {
  const list = [];
  const add = (codec, name, compressFn, decompressFn) => {
    // An implementation that cannot compress here (Venice's zstd before Node 22.15) is measured decompressing.
    if (compressFn && !compresses(compressFn)) compressFn = undefined;
    list.push({ codec, name, compressFn, decompressFn });
  };
  for (const [codec, id] of [
    ['gzip', Compression.gzip],
    ['snappy', Compression.snappy],
    ['lz4', Compression.lz4],
    ['zstd', Compression.zstd],
  ]) {
    add(
      codec,
      'venice compress()/decompress()',
      (data) => compress(id, data),
      (data) => decompress(id, data),
    );
  }
  if (baselinePath()) {
    const baseline = await import(path.resolve(baselinePath()));
    for (const [codec, id] of [
      ['snappy', Compression.snappy],
      ['lz4', Compression.lz4],
      ['zstd', Compression.zstd],
    ]) {
      add(
        codec,
        'baseline compress()/decompress()',
        (data) => baseline.compress(id, data),
        (data) => baseline.decompress(id, data),
      );
    }
  }

  const lz4napi = optional('lz4-napi');
  if (lz4napi) add('lz4', 'lz4-napi frame', lz4napi.compressFrameSync, lz4napi.decompressFrameSync);
  const lz4js = optional('lz4js');
  if (lz4js)
    add(
      'lz4',
      'lz4js frame',
      (d) => lz4js.compress(d),
      (d) => lz4js.decompress(d),
    );

  const snappy = optional('snappy');
  if (snappy)
    add(
      'snappy',
      'snappy (napi-rs)',
      (d) => snappy.compressSync(d),
      (d) => snappy.uncompressSync(d),
    );
  const snappyjs = optional('snappyjs');
  if (snappyjs)
    add(
      'snappy',
      'snappyjs',
      (d) => snappyjs.compress(d),
      (d) => snappyjs.uncompress(d),
    );

  if (typeof zlib.zstdCompressSync === 'function') {
    add(
      'zstd',
      'node:zlib',
      (d) => zlib.zstdCompressSync(d),
      (d) => zlib.zstdDecompressSync(d),
    );
  }
  const fzstd = optional('fzstd');
  if (fzstd) add('zstd', 'fzstd (decompress only)', undefined, (d) => fzstd.decompress(d));
  const hpcc = await optionalImport('@hpcc-js/wasm-zstd');
  if (hpcc) {
    const zstd = await hpcc.Zstd.load();
    add(
      'zstd',
      '@hpcc-js/wasm-zstd',
      (d) => zstd.compress(d, 3),
      (d) => zstd.decompress(d),
    );
  }
  const bokuweb = optional('@bokuweb/zstd-wasm');
  if (bokuweb) {
    await bokuweb.init();
    add(
      'zstd',
      '@bokuweb/zstd-wasm',
      (d) => bokuweb.compress(d, 3),
      (d) => bokuweb.decompress(d),
    );
  }
  const toondepauw = optional('@toondepauw/node-zstd');
  if (toondepauw) {
    const encoder = new toondepauw.Encoder(3);
    const decoder = new toondepauw.Decoder();
    add(
      'zstd',
      '@toondepauw/node-zstd',
      (d) => encoder.encodeSync(d),
      (d) => decoder.decodeSync(d),
    );
  }
  return list;
}

function compresses(compressFn) {
  try {
    compressFn(Buffer.from('probe'));
    return true;
  } catch {
    return false;
  }
}

/** Every implementation of a codec must read what every other one writes. */
function checkRoundTrips(list, input) {
  for (const producer of list.filter((i) => i.compressFn)) {
    const packed = Buffer.from(producer.compressFn(input));
    for (const consumer of list.filter((i) => i.codec === producer.codec)) {
      const unpacked = Buffer.from(consumer.decompressFn(packed));
      if (!unpacked.equals(input)) {
        throw new Error(`${consumer.name} cannot read what ${producer.name} writes (${producer.codec})`);
      }
    }
  }
}

const inputs = [
  ['1,000 records', recordsSection(1000)],
  ['10 records', recordsSection(10)],
];
const list = await implementations();
console.log(`Node ${process.version}, ${TRIALS} trials; MB/s of uncompressed bytes, median (best)`);
for (const [label, input] of inputs) {
  checkRoundTrips(list, input);
  console.log(`\n${label}: records section of ${input.length} bytes`);
  console.log(
    `${'codec'.padEnd(7)} ${'implementation'.padEnd(32)} ${'ratio'.padStart(6)} ${'compress'.padStart(14)} ${'decompress'.padStart(14)}`,
  );
  for (const result of measureAll(list, input)) {
    const cell = (median, best) => (median === undefined ? '-' : `${median.toFixed(0)} (${best.toFixed(0)})`);
    console.log(
      [
        result.impl.codec.padEnd(7),
        result.impl.name.padEnd(32),
        (result.ratio?.toFixed(2) ?? '').padStart(6),
        cell(result.compressMBps, result.bestCompressMBps).padStart(14),
        cell(result.decompressMBps, result.bestDecompressMBps).padStart(14),
      ].join(' '),
    );
  }
}
