// Client benchmark: produce and consume 1M x 100 B records through Venice's Kafka client (dist/client)
// against a fresh Venice broker in a child process, next to @platformatic/kafka used directly and kcat,
// so the wrapper's cost and the library's limit can be read off one run.
// Run with `npm run bench:client` (add `-- --quick` for a short dry run, `-- --codecs-only` for the
// in-process batch encode/decode comparison alone, `-- --only=client` for one of the three ways, e.g.
// under `node --cpu-prof`).
import { Consumer, createRecordsBatch, Producer, readRecordsBatch, Reader } from '@platformatic/kafka';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { openKafka } from '../dist/client/index.js';
import { decodeRecordSet, encodeBatch } from '../dist/protocol/records/record-codec.js';
import { startBroker } from './lib/broker-process.mjs';
import { consume as kcatConsume, produce as kcatProduce } from './lib/kcat.mjs';
import { describeMachine } from './lib/machine.mjs';
import { median } from './lib/stats.mjs';

const quick = process.argv.includes('--quick');
const only = process.argv.find((arg) => arg.startsWith('--only='))?.slice('--only='.length);
const settings = {
  date: new Date().toISOString(),
  records: quick ? 100_000 : 1_000_000,
  recordSize: 100,
  repeats: quick ? 1 : 3,
  // Like batching everywhere: requests of about 1 MB (the client's batchBytes default; 8,000 records of
  // 100 B for the library alone), 5 ms linger, acks=1.
  batchSize: 16_384,
  libraryBatchRecords: 8_000,
  lingerMs: 5,
  acks: 1,
};
const TARGET = 500_000;
const log = (message) => console.error(`[bench] ${message}`);

/** One shared buffer; every record value is a 100-byte view of it, so the input costs no copies. */
function makeValues() {
  const all = Buffer.alloc(settings.records * settings.recordSize, 'x');
  const values = new Array(settings.records);
  for (let i = 0; i < settings.records; i++) {
    const start = i * settings.recordSize;
    all.write(String(i).padStart(10, '0'), start, 'latin1');
    values[i] = all.subarray(start, start + settings.recordSize);
  }
  return values;
}

function writeKcatInput(file, values) {
  const lines = Buffer.alloc(values.length * (settings.recordSize + 1), 0x0a);
  values.forEach((value, i) => value.copy(lines, i * (settings.recordSize + 1)));
  writeFileSync(file, lines);
}

const rate = (records, seconds) => records / seconds;

/** Venice client: BatchingProducer.send per record, a promise each, then flush. */
async function produceWithClient(kafka, topic, values) {
  const producer = kafka.producer({
    lingerMs: settings.lingerMs,
    batchSize: settings.batchSize,
    acks: settings.acks,
  });
  await kafka.produce([{ topic, value: Buffer.from('warm-up'), partition: 0 }]); // metadata and connections
  const started = performance.now();
  let failures = 0;
  const onFailure = () => failures++;
  for (let i = 0; i < values.length; i++) {
    const sent = producer.send({ topic, value: values[i], partition: 0 });
    sent.catch(onFailure);
    // Bound what waits in memory, as a pipeline reading its input would.
    if (i % 100_000 === 99_999) await sent;
  }
  await producer.flush();
  const seconds = (performance.now() - started) / 1000;
  await producer.close();
  if (failures > 0) throw new Error(`${failures} sends failed`);
  return seconds;
}

/** Venice client: a GroupConsumer polling batches from the beginning until it has them all. */
async function consumeWithClient(kafka, topic, expected) {
  const consumer = kafka.consumer({ group: `bench-${topic}`, topics: [topic], fallback: 'earliest' });
  await consumer.start();
  const started = performance.now();
  let records = 0;
  let bytes = 0;
  while (records < expected) {
    for (const batch of await consumer.poll(1_000)) {
      records += batch.records.length;
      for (const record of batch.records) bytes += record.value?.length ?? 0;
    }
  }
  const seconds = (performance.now() - started) / 1000;
  await consumer.commit();
  await consumer.close();
  if (bytes < expected * settings.recordSize) throw new Error(`read ${bytes} bytes, expected more`);
  return seconds;
}

/** @platformatic/kafka alone: Producer.send with the same batch size, up to 5 requests in flight. */
async function produceWithLibrary(bootstrap, topic, values) {
  const producer = new Producer({
    clientId: 'bench-library',
    bootstrapBrokers: [bootstrap],
    acks: settings.acks,
  });
  await producer.send({ messages: [{ topic, value: Buffer.from('warm-up'), partition: 0 }] });
  const started = performance.now();
  const inFlight = new Set();
  for (let first = 0; first < values.length; first += settings.libraryBatchRecords) {
    const messages = [];
    for (let i = first; i < Math.min(values.length, first + settings.libraryBatchRecords); i++)
      messages.push({ topic, value: values[i], partition: 0 });
    const sending = producer.send({ messages }).finally(() => inFlight.delete(sending));
    inFlight.add(sending);
    if (inFlight.size >= 5) await Promise.race(inFlight);
  }
  await Promise.all(inFlight);
  const seconds = (performance.now() - started) / 1000;
  await producer.close();
  return seconds;
}

/** @platformatic/kafka alone: its MessagesStream from the earliest offset, no group commits. */
async function consumeWithLibrary(bootstrap, topic, expected) {
  const consumer = new Consumer({
    clientId: 'bench-library',
    bootstrapBrokers: [bootstrap],
    groupId: `bench-library-${topic}`,
    maxWaitTime: 500,
  });
  const stream = await consumer.consume({ topics: [topic], mode: 'earliest', autocommit: false });
  let records = 0;
  let started;
  await new Promise((resolve, reject) => {
    stream.on('data', () => {
      started ??= performance.now();
      if (++records === expected) resolve();
    });
    stream.on('error', reject);
  });
  const seconds = (performance.now() - started) / 1000;
  await stream.close();
  await consumer.close(true);
  return seconds;
}

/**
 * CPU cost of building and parsing one 8,000-record batch of 100 B values, in this process with no I/O:
 * the library's encoder (what its Producer uses) against protocol's encodeBatch (the client's fast path),
 * and the library's parser (what its Consumer uses) against protocol's decoder (what the client's fetches use).
 */
function measureCodecs() {
  const count = 8_000;
  const rounds = quick ? 10 : 40;
  const values = makeValues().slice(0, count);
  const batch = encodeBatch({ records: values.map((value) => ({ value })) });
  const cases = {
    'encode, library createRecordsBatch': () =>
      createRecordsBatch(values.map((value) => ({ topic: 't', partition: 0, value, headers: new Map() }))),
    'encode, protocol encodeBatch': () => encodeBatch({ records: values.map((value) => ({ value })) }),
    'decode, library readRecordsBatch': () => readRecordsBatch(Reader.from(batch)),
    'decode, protocol decodeRecordSet': () => decodeRecordSet(batch),
  };
  const results = {};
  for (const [name, run] of Object.entries(cases)) {
    const perRound = [];
    for (let repeat = 0; repeat < 3; repeat++) {
      run();
      const started = process.cpuUsage();
      for (let round = 0; round < rounds; round++) run();
      const used = process.cpuUsage(started);
      perRound.push((count * rounds) / ((used.user + used.system) / 1e6));
    }
    results[name] = median(perRound);
    log(`${name}: ${(results[name] / 1e6).toFixed(2)}M records per CPU-second`);
  }
  return results;
}

async function main() {
  // Left out with --only, so that a CPU profile shows the client alone.
  const codecs = only ? undefined : measureCodecs();
  if (process.argv.includes('--codecs-only')) return;
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'venice-bench-client-'));
  const broker = await startBroker({ dataDir });
  const kafka = openKafka({ bootstrapServers: broker.address, clientId: 'bench-client' });
  const values = makeValues();
  const kcatInput = path.join(dataDir, 'input.txt');
  writeKcatInput(kcatInput, values);
  const results = {
    client: { produce: [], consume: [] },
    library: { produce: [], consume: [] },
    kcat: { produce: [], consume: [] },
  };
  try {
    for (let run = 1; run <= settings.repeats; run++) {
      for (const [name, produceRun, consumeRun] of [
        [
          'client',
          (topic) => produceWithClient(kafka, topic, values),
          (topic) => consumeWithClient(kafka, topic, settings.records),
        ],
        [
          'library',
          (topic) => produceWithLibrary(broker.address, topic, values),
          (topic) => consumeWithLibrary(broker.address, topic, settings.records),
        ],
        [
          'kcat',
          async (topic) => {
            await kafka.produce([{ topic, value: Buffer.from('warm-up'), partition: 0 }]);
            const result = await kcatProduce({
              brokerAddress: broker.address,
              brokerPid: broker.pid,
              topic,
              inputFile: kcatInput,
              acks: settings.acks,
            });
            if (result.deliveryFailures > 0) throw new Error(`kcat: ${result.deliveryFailures} failures`);
            return result.seconds;
          },
          async (topic) =>
            (
              await kcatConsume({
                brokerAddress: broker.address,
                brokerPid: broker.pid,
                topic,
                count: settings.records + 1,
              })
            ).seconds,
        ],
      ]) {
        if (only && name !== only) continue;
        const topic = `bench-${name}-${run}`;
        await kafka.topics.create({ name: topic, partitions: 1 });
        const produced = rate(settings.records, await produceRun(topic));
        // The warm-up record is read too, so the consumers wait for one more.
        const consumed = rate(settings.records + 1, await consumeRun(topic));
        results[name].produce.push(produced);
        results[name].consume.push(consumed);
        log(
          `run ${run} ${name}: produce ${Math.round(produced)} rec/s, consume ${Math.round(consumed)} rec/s`,
        );
      }
    }
  } finally {
    await kafka.close();
    await broker.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
  const summary = Object.fromEntries(
    Object.entries(results)
      .map(([name, { produce, consume }]) => [
        name,
        { produce: median(produce), consume: median(consume), runs: { produce, consume } },
      ])
      .filter(([, { runs }]) => runs.produce.length > 0),
  );
  const report = {
    settings,
    machine: describeMachine(os.tmpdir()),
    codecsRecordsPerCpuSecond: codecs,
    medians: summary,
    target: TARGET,
    clientVsLibrary: {
      produce: summary.client?.produce / summary.library?.produce,
      consume: summary.client?.consume / summary.library?.consume,
    },
  };
  console.log(JSON.stringify(report, null, 2));
  const fmt = (value) => `${(value / 1000).toFixed(0)}k rec/s`;
  log('medians:');
  for (const [name, { produce, consume }] of Object.entries(summary))
    log(`  ${name.padEnd(8)} produce ${fmt(produce).padStart(14)}   consume ${fmt(consume).padStart(14)}`);
}

await main();
