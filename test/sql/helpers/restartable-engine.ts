// What the state store tests over a real broker share: a broker and a client for the file's tests, and
// a SQL engine on one state directory that a test stops and starts again (a clean stop each time), so
// that its queries' disk stores are kept, checkpointed or rebuilt across the restarts.
import { afterAll, beforeAll } from 'vitest';
import { openKafka, type Kafka, type ProduceRecord } from '../../../src/client/index.js';
import { createSqlEngine, type SqlEngine } from '../../../src/sql/engine/index.js';
import { silentLogger, type Logger } from '../../../src/service/index.js';
import { startTestBroker, temporaryDataDir } from '../../helpers/broker.js';

export interface RestartableEngine {
  /** The engines' state directory (`stateDirectory` gives a query's). */
  readonly stateDir: string;
  readonly kafka: Kafka;
  /** Starts an engine of `serviceId` on the state directory (the one running is stopped first). */
  start(serviceId: string, logger?: Logger): Promise<SqlEngine>;
  /** Stops the running engine cleanly, if any. */
  stop(): Promise<void>;
  /** Produces the records, 500 at a time. */
  produce(records: readonly ProduceRecord[]): Promise<void>;
}

/** Registers the file's beforeAll (the broker) and afterAll (everything stopped). */
export function restartableEngine(label: string): RestartableEngine {
  const stateDir = temporaryDataDir(label);
  let broker: Awaited<ReturnType<typeof startTestBroker>> | undefined;
  let kafka: Kafka | undefined;
  let running: SqlEngine | undefined;

  beforeAll(async () => {
    broker = await startTestBroker();
    kafka = openKafka({ bootstrapServers: broker.bootstrap });
  }, 60_000);

  afterAll(async () => {
    await running?.stop();
    await kafka?.close();
    await broker?.stop();
  });

  const client = (): Kafka => {
    if (kafka === undefined) throw new Error('the broker starts in beforeAll: use it inside a test');
    return kafka;
  };
  const stop = async () => {
    await running?.stop();
    running = undefined;
  };
  return {
    stateDir,
    get kafka() {
      return client();
    },
    async start(serviceId, logger = silentLogger()) {
      await stop();
      const engine = createSqlEngine({
        kafka: { bootstrapServers: broker!.bootstrap },
        serviceId,
        stateDir,
        logger,
      });
      await engine.start();
      running = engine;
      return engine;
    },
    stop,
    async produce(records) {
      for (let i = 0; i < records.length; i += 500) await client().produce(records.slice(i, i + 500));
    },
  };
}

/** A KAFKA-format INT key. */
export function intKey(id: number): Buffer {
  const key = Buffer.alloc(4);
  key.writeInt32BE(id);
  return key;
}
