// Client benchmark: produce and consume 1M x 100 B records through Venice's Kafka client (dist/client)
// against a fresh Venice broker in a child process, next to @platformatic/kafka used directly and kcat,
// so the wrapper's cost and the library's limit can be read off one run. The client produces two ways:
// sendMany (one promise per 1,000 records, as a pipeline hands over what it computed from one poll) and
// send() (one promise and one result per record). Each run also reports the CPU used meanwhile by the
// broker, this process (the client or the library) and kcat, and by everything else on the machine.
// Run with `npm run bench:client` (add `-- --quick` for a short dry run, `-- --codecs-only` for the
// in-process batch encode/decode comparison alone, `-- --only=client` for one of the three ways, e.g.
// under `node --cpu-prof`).
import { Consumer, createRecordsBatch, Producer, readRecordsBatch, Reader } from '@platformatic/kafka';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { openKafka } from '../dist/client/index.js';
import { writeProduceBody } from '../dist/client/produce-request.js';
import { decodeRecordSet, encodeBatch } from '../dist/protocol/records/record-codec.js';
import { startBroker } from './lib/broker-process.mjs';
import { consume as kcatConsume, produce as kcatProduce } from './lib/kcat.mjs';
import { describeMachine } from './lib/machine.mjs';
import { startCpuMeter } from './lib/processes.mjs';
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
  /** Records per sendMany call. */
  clientChunkRecords: 1_000,
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

let brokerPid;

/**
 * Starts the clock and the CPU meter together; the returned function stops both and gives the seconds
 * and the CPU used meanwhile (percent of one core: broker, this process, kcat, the rest of the machine).
 */
function startTiming() {
  const started = performance.now();
  const meter = startCpuMeter(brokerPid);
  return () => {
    const seconds = (performance.now() - started) / 1000;
    return { seconds, cpu: meter(seconds) };
  };
}

/** Venice client: BatchingProducer.sendMany of 1,000 records at a time, then flush. */
async function produceWithClient(kafka, topic, values) {
  return timeProducer(kafka, topic, async (producer, onFailure) => {
    const chunk = settings.clientChunkRecords;
    for (let first = 0; first < values.length; first += chunk) {
      const records = new Array(Math.min(chunk, values.length - first));
      for (let i = 0; i < records.length; i++) records[i] = { topic, value: values[first + i], partition: 0 };
      const sent = producer.sendMany(records);
      sent.catch(onFailure);
      // Bound what waits in memory, as a pipeline reading its input would.
      if ((first + chunk) % 100_000 === 0) await sent;
    }
  });
}

/** Venice client: BatchingProducer.send per record, a promise each, then flush. */
async function produceWithClientSend(kafka, topic, values) {
  return timeProducer(kafka, topic, async (producer, onFailure) => {
    for (let i = 0; i < values.length; i++) {
      const sent = producer.send({ topic, value: values[i], partition: 0 });
      sent.catch(onFailure);
      if (i % 100_000 === 99_999) await sent;
    }
  });
}

/** Times `produce` with a fresh batching producer, from the first send to the end of flush(). */
async function timeProducer(kafka, topic, produce) {
  const producer = kafka.producer({
    lingerMs: settings.lingerMs,
    batchSize: settings.batchSize,
    acks: settings.acks,
  });
  await kafka.produce([{ topic, value: Buffer.from('warm-up'), partition: 0 }]); // metadata and connections
  const stop = startTiming();
  let failures = 0;
  await produce(producer, () => failures++);
  await producer.flush();
  const timing = stop();
  await producer.close();
  if (failures > 0) throw new Error(`${failures} sends failed`);
  return timing;
}

/** Venice client: a GroupConsumer polling batches from the beginning until it has them all. */
async function consumeWithClient(kafka, topic, expected) {
  const consumer = kafka.consumer({ group: `bench-${topic}`, topics: [topic], fallback: 'earliest' });
  await consumer.start();
  const stop = startTiming();
  let records = 0;
  let bytes = 0;
  while (records < expected) {
    for (const batch of await consumer.poll(1_000)) {
      records += batch.records.length;
      for (const record of batch.records) bytes += record.value?.length ?? 0;
    }
  }
  const timing = stop();
  await consumer.commit();
  await consumer.close();
  if (bytes < expected * settings.recordSize) throw new Error(`read ${bytes} bytes, expected more`);
  return timing;
}

/** @platformatic/kafka alone: Producer.send with the same batch size, up to 5 requests in flight. */
async function produceWithLibrary(bootstrap, topic, values) {
  const producer = new Producer({
    clientId: 'bench-library',
    bootstrapBrokers: [bootstrap],
    acks: settings.acks,
  });
  await producer.send({ messages: [{ topic, value: Buffer.from('warm-up'), partition: 0 }] });
  const stop = startTiming();
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
  const timing = stop();
  await producer.close();
  return timing;
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
  let stop;
  await new Promise((resolve, reject) => {
    stream.on('data', () => {
      stop ??= startTiming();
      if (++records === expected) resolve();
    });
    stream.on('error', reject);
  });
  const timing = stop();
  await stream.close();
  await consumer.close(true);
  return timing;
}

/**
 * CPU cost of building and parsing one 8,000-record batch of 100 B values, in this process with no I/O:
 * the library's encoder (what its Producer uses) against protocol's encodeBatch and the client's own
 * Produce body writer (what its producer uses),
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
    // The client's producer: the whole Produce body around the batch, records as send() takes them.
    'encode, client writeProduceBody': () =>
      writeProduceBody(1, 10_000, [
        {
          topic: 't',
          partitions: [{ partition: 0, records: values.map((value) => ({ topic: 't', value })) }],
        },
      ]),
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

/** Records per CPU-second of the process that produced or consumed them (kcat's own for kcat). */
function ownRate(name, recordsPerSecond, cpu) {
  const percent = name === 'kcat' ? cpu.kcat : cpu.self;
  return percent > 0 ? recordsPerSecond / (percent / 100) : null;
}

/** "broker 80%, self 60%, kcat 0%, other 40%": percent of one core while a run lasted. */
function describeCpu(cpu) {
  return Object.entries(cpu)
    .map(([who, percent]) => `${who} ${Math.round(percent)}%`)
    .join(', ');
}

async function main() {
  // Left out with --only, so that a CPU profile shows the client alone.
  const codecs = only ? undefined : measureCodecs();
  if (process.argv.includes('--codecs-only')) return;
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'venice-bench-client-'));
  const broker = await startBroker({ dataDir });
  brokerPid = broker.pid;
  const kafka = openKafka({ bootstrapServers: broker.address, clientId: 'bench-client' });
  const values = makeValues();
  const kcatInput = path.join(dataDir, 'input.txt');
  writeKcatInput(kcatInput, values);
  const results = {
    client: { produce: [], consume: [], cpu: [] },
    'client-send': { produce: [], consume: [], cpu: [] },
    library: { produce: [], consume: [], cpu: [] },
    kcat: { produce: [], consume: [], cpu: [] },
  };
  try {
    for (let run = 1; run <= settings.repeats; run++) {
      for (const [name, produceRun, consumeRun] of [
        [
          'client',
          (topic) => produceWithClient(kafka, topic, values),
          (topic) => consumeWithClient(kafka, topic, settings.records),
        ],
        // Produce only: its records are consumed the same way as the client's.
        ['client-send', (topic) => produceWithClientSend(kafka, topic, values), undefined],
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
            return result;
          },
          (topic) =>
            kcatConsume({
              brokerAddress: broker.address,
              brokerPid: broker.pid,
              topic,
              count: settings.records + 1,
            }),
        ],
      ]) {
        if (only && name !== only) continue;
        const topic = `bench-${name}-${run}`;
        await kafka.topics.create({ name: topic, partitions: 1 });
        const produced = await produceRun(topic);
        const cpu = { produce: produced.cpu };
        results[name].produce.push(rate(settings.records, produced.seconds));
        if (consumeRun) {
          const consumed = await consumeRun(topic);
          cpu.consume = consumed.cpu;
          // The warm-up record is read too, so the consumers wait for one more.
          results[name].consume.push(rate(settings.records + 1, consumed.seconds));
        }
        results[name].cpu.push(cpu);
        const consumed = results[name].consume.at(-1);
        log(
          `run ${run} ${name}: produce ${Math.round(results[name].produce.at(-1))} rec/s (CPU ${describeCpu(cpu.produce)})` +
            (consumeRun ? `, consume ${Math.round(consumed)} rec/s (CPU ${describeCpu(cpu.consume)})` : ''),
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
      .map(([name, { produce, consume, cpu }]) => [
        name,
        {
          produce: median(produce),
          consume: consume.length > 0 ? median(consume) : null,
          runs: { produce, consume },
          cpuPercentOfOneCore: cpu,
          // The CPU the producing or consuming process itself used (kcat's for kcat), per record: what
          // the load of others on the machine changes least.
          recordsPerOwnCpuSecond: {
            produce: median(produce.map((value, run) => ownRate(name, value, cpu[run].produce))),
            consume:
              consume.length > 0
                ? median(consume.map((value, run) => ownRate(name, value, cpu[run].consume)))
                : null,
          },
        },
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
    clientVsKcat: {
      produce: summary.client?.produce / summary.kcat?.produce,
      consume: summary.client?.consume / summary.kcat?.consume,
    },
  };
  console.log(JSON.stringify(report, null, 2));
  const fmt = (value) => (value === null ? '-' : `${(value / 1000).toFixed(0)}k rec/s`);
  log('medians:');
  for (const [name, { produce, consume, recordsPerOwnCpuSecond: own }] of Object.entries(summary))
    log(
      `  ${name.padEnd(11)} produce ${fmt(produce).padStart(14)}   consume ${fmt(consume).padStart(14)}` +
        `   per own CPU-second: produce ${fmt(own.produce)}, consume ${fmt(own.consume)}`,
    );
}

await main();
