// In-process cost of the broker's hot paths, without TCP or a client: a Produce request frame through
// the dispatcher (decode, validate, append, encode), and a Fetch of the same data. Also times the record
// validation walk against a full decode, which it replaced on the produce path.
// Run: npm run build && node bench/broker-paths.mjs
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startBroker } from '../dist/broker/main.js';
import { silentLogger } from '../dist/broker/logger.js';
import { Writer } from '../dist/protocol/primitives.js';
import { writeRequestHeader } from '../dist/protocol/generated/request-header.js';
import { writeRequestBody, defaultRequestBody } from '../dist/protocol/generated/apis.js';
import { encodeBatch, decodeBatch } from '../dist/protocol/records/record-codec.js';
import { scanBatchRecords } from '../dist/protocol/records/record-scan.js';

const RECORDS_PER_BATCH = 1000;
const BATCHES = 2000;
const ROUNDS = 5;

function frame(apiKey, version, headerVersion, body) {
  const writer = new Writer();
  writeRequestHeader(writer, headerVersion, {
    requestApiKey: apiKey,
    requestApiVersion: version,
    correlationId: 1,
    clientId: 'bench',
  });
  writeRequestBody(apiKey, version, writer, { ...defaultRequestBody(apiKey), ...body });
  return writer.toBuffer();
}

const value = Buffer.alloc(100, 'x');
const template = encodeBatch({
  records: Array.from({ length: RECORDS_PER_BATCH }, (_, i) => ({ key: `k${i}`, value })),
});
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'venice-paths-'));
const broker = await startBroker({ port: 0, dataDir, flushBeforeAcksAll: false }, silentLogger());
broker.context.logs.createTopic('bench', 1);
// Drive a dispatcher of our own over the running broker's state: the server's path minus the socket.
const { Dispatcher } = await import('../dist/broker/dispatcher.js');
const { HANDLERS } = await import('../dist/broker/handlers/index.js');
const direct = new Dispatcher(HANDLERS, () => broker.context, { warn() {}, error() {} });
const connection = { id: 0, remoteAddress: '127.0.0.1', remotePort: 0 };

const produceRates = [];
const scanRates = [];
const decodeRates = [];
const fetchRates = [];
for (let round = 0; round < ROUNDS; round++) {
  const frames = Array.from({ length: BATCHES }, () =>
    frame(0, 9, 2, {
      acks: 1,
      timeoutMs: 1000,
      topicData: [{ name: 'bench', partitionData: [{ index: 0, records: Buffer.from(template) }] }],
    }),
  );
  let started = process.hrtime.bigint();
  for (const f of frames) direct.process(f, connection);
  let seconds = Number(process.hrtime.bigint() - started) / 1e9;
  produceRates.push((BATCHES * RECORDS_PER_BATCH) / seconds);

  started = process.hrtime.bigint();
  for (let i = 0; i < BATCHES; i++) scanBatchRecords(template);
  seconds = Number(process.hrtime.bigint() - started) / 1e9;
  scanRates.push((BATCHES * RECORDS_PER_BATCH) / seconds);

  started = process.hrtime.bigint();
  for (let i = 0; i < BATCHES / 10; i++) decodeBatch(template, { verifyCrc: false });
  seconds = Number(process.hrtime.bigint() - started) / 1e9;
  decodeRates.push(((BATCHES / 10) * RECORDS_PER_BATCH) / seconds);

  const log = broker.context.logs.partition('bench', 0);
  const start = log.logEndOffset - BATCHES * RECORDS_PER_BATCH;
  let offset = start;
  started = process.hrtime.bigint();
  while (offset < log.logEndOffset) {
    const out = direct.process(
      frame(1, 12, 2, {
        maxWaitMs: 0,
        minBytes: 1,
        maxBytes: 50 * 1024 * 1024,
        topics: [
          {
            topic: 'bench',
            topicId: '0'.repeat(32),
            partitions: [
              {
                partition: 0,
                currentLeaderEpoch: -1,
                fetchOffset: BigInt(offset),
                lastFetchedEpoch: -1,
                logStartOffset: -1n,
                partitionMaxBytes: 1 << 20,
                replicaDirectoryId: '0'.repeat(32),
              },
            ],
          },
        ],
      }),
      connection,
    );
    let bytes = 0;
    for (const chunk of out) bytes += chunk.length;
    offset += Math.max(1, Math.floor(bytes / (template.length / RECORDS_PER_BATCH)));
  }
  seconds = Number(process.hrtime.bigint() - started) / 1e9;
  fetchRates.push((log.logEndOffset - start) / seconds);
}
await broker.stop();
fs.rmSync(dataDir, { recursive: true, force: true });

const format = (rate) => `${(rate / 1e6).toFixed(2)} M records/s`;
console.log(
  `records of ${value.length} B, batches of ${RECORDS_PER_BATCH}, ${BATCHES} batches per round, median of ${ROUNDS} rounds`,
);
console.log(`produce request through the dispatcher: ${format(median(produceRates))}`);
console.log(
  `fetch request through the dispatcher:   ${format(median(fetchRates))} (approximate: offsets advanced by bytes)`,
);
console.log(`record validation walk (produce path):  ${format(median(scanRates))}`);
console.log(`full record decode (replaced):          ${format(median(decodeRates))}`);
