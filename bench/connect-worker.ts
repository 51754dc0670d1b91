// bench/connect.ts --worker: rows/s from a topic into PostgreSQL through the whole connect worker: a Venice
// broker in its own process, the worker (consumer group, StringConverter key, schemaless JsonConverter
// value, the sink's puts, offset commits) in this one. The topic is filled before the connector starts;
// the clock runs from the table's creation by the first put() (polled every 50 ms) to the last row (the
// group join excluded),
// and from the connector's creation, for the figure with its start-up.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { openKafka } from '../src/client/index.js';
import { createWorker } from '../src/connect/worker/index.js';
import { silentLogger } from '../src/service/index.js';
// @ts-expect-error: a plain .mjs helper shared with the broker benches
import { startBroker } from './lib/broker-process.mjs';

export interface WorkerRun {
  readonly rowsPerSecond: number;
  readonly withStartupPerSecond: number;
}

interface BrokerProcess {
  readonly address: string;
  stop(): Promise<void>;
}

const PARTITIONS = 4;

export async function runThroughWorker(postgresUrl: string, rows: number): Promise<WorkerRun> {
  const id = randomBytes(3).toString('hex');
  const topic = `sinkbench_worker_${id}`;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'venice-bench-connect-'));
  const broker = (await startBroker({ dataDir })) as BrokerProcess;
  const kafka = openKafka({ bootstrapServers: broker.address, clientId: 'bench-connect' });
  const admin = new pg.Client({ connectionString: postgresUrl });
  await admin.connect();
  const worker = createWorker({
    kafka: { bootstrapServers: broker.address },
    groupId: `bench-${id}`,
    workerId: 'bench:0',
    configTopic: `bench-${id}-configs`,
    offsetTopic: `bench-${id}-offsets`,
    statusTopic: `bench-${id}-status`,
    logger: silentLogger(),
  });
  try {
    await kafka.topics.create({ name: topic, partitions: PARTITIONS });
    for (let start = 0; start < rows; start += 10_000) {
      const chunk = [];
      for (let index = start; index < Math.min(rows, start + 10_000); index++) {
        const value = {
          id: `order-${index}`,
          customer: `customer-${index % 977}`,
          item: `item-${index % 131}`,
          qty: (index % 7) + 1,
          price: (index % 1000) / 10,
        };
        chunk.push({ topic, key: Buffer.from(value.id), value: Buffer.from(JSON.stringify(value)) });
      }
      await kafka.produce(chunk);
    }
    await worker.start();
    const created = performance.now();
    await worker.putConnectorConfig(
      `bench-${id}`,
      {
        'connector.class': 'io.confluent.connect.jdbc.JdbcSinkConnector',
        'tasks.max': '1',
        topics: topic,
        'connection.url': postgresUrl,
        'key.converter': 'org.apache.kafka.connect.storage.StringConverter',
        'value.converter': 'org.apache.kafka.connect.json.JsonConverter',
        'value.converter.schemas.enable': 'false',
        'insert.mode': 'upsert',
        'pk.mode': 'record_key',
        'pk.fields': 'id',
        'auto.create': 'true',
      },
      false,
    );
    // The first put() creates the table (auto.create) before writing its rows: the clock starts when it appears.
    let tableAt: number | null = null;
    let count = 0;
    const deadline = Date.now() + 600_000;
    while (count < rows) {
      if (Date.now() > deadline) throw new Error(`only ${count} of ${rows} rows after 10 minutes`);
      await new Promise((resolve) => setTimeout(resolve, 50));
      const exists = await admin.query<{ oid: number | null }>('SELECT to_regclass($1)::oid AS oid', [
        `"${topic}"`,
      ]);
      if (exists.rows[0]?.oid === null) continue;
      tableAt ??= performance.now();
      const result = await admin.query<{ n: number }>(`SELECT count(*)::int AS n FROM "${topic}"`);
      count = result.rows[0].n;
    }
    const finished = performance.now();
    return {
      rowsPerSecond: rows / ((finished - (tableAt ?? created)) / 1000),
      withStartupPerSecond: rows / ((finished - created) / 1000),
    };
  } finally {
    await worker.stop().catch(() => undefined);
    await kafka.close().catch(() => undefined);
    await admin.query(`DROP TABLE IF EXISTS "${topic}"`).catch(() => undefined);
    await admin.end();
    await broker.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}
