// For engine tests over a real broker: the broker and a Kafka client for the file's tests, engines
// started on it (each stopped after the file), and the small readers those tests share.
import { afterAll, beforeAll } from 'vitest';
import { openKafka, type Kafka } from '../../../src/client/index.js';
import { createSqlEngine, type CurrentStatusEntity, type SqlEngine } from '../../../src/sql/engine/index.js';
import { silentLogger } from '../../../src/service/index.js';
import { startTestBroker, temporaryDataDir } from '../../helpers/broker.js';

export interface EngineOnBroker {
  /** The broker's bootstrap address, once beforeAll has run. */
  readonly bootstrap: () => string;
  readonly kafka: () => Kafka;
  /** A started engine with its own state directory; `properties` are its server-wide properties. */
  readonly startEngine: (
    serviceId: string,
    properties?: Readonly<Record<string, string>>,
  ) => Promise<SqlEngine>;
  /** Every record value of a topic, from the beginning to its current end. */
  readonly valuesIn: (topic: string) => Promise<string[]>;
}

/** Call at a test file's top level: the broker starts before its tests, and all stops after them. */
export function useEngineOnBroker(): EngineOnBroker {
  let broker: Awaited<ReturnType<typeof startTestBroker>> | undefined;
  let kafka: Kafka | undefined;
  const engines: SqlEngine[] = [];

  beforeAll(async () => {
    broker = await startTestBroker();
    kafka = openKafka({ bootstrapServers: broker.bootstrap });
  }, 60_000);

  afterAll(async () => {
    for (const engine of engines) await engine.stop();
    await kafka?.close();
    await broker?.stop();
  });

  const bootstrap = (): string => {
    if (broker === undefined) throw new Error('the broker has not started');
    return broker.bootstrap;
  };
  const client = (): Kafka => {
    if (kafka === undefined) throw new Error('the broker has not started');
    return kafka;
  };
  return {
    bootstrap,
    kafka: client,
    startEngine: async (serviceId, properties) => {
      const engine = createSqlEngine({
        kafka: { bootstrapServers: bootstrap() },
        serviceId,
        stateDir: temporaryDataDir('sql-state'),
        logger: silentLogger(),
        ...(properties === undefined ? {} : { properties }),
      });
      engines.push(engine);
      await engine.start();
      return engine;
    },
    valuesIn: async (topic) => {
      const values: string[] = [];
      for await (const record of client().consume({ topic, from: { kind: 'beginning' }, stopAtEnd: true })) {
        values.push(record.value?.toString() ?? 'null');
      }
      return values;
    },
  };
}

/** The CURRENT_STATUS entity a statement answers with. */
export async function statusOf(engine: SqlEngine, sql: string): Promise<CurrentStatusEntity> {
  const [entity] = await engine.execute({ sql });
  return entity as CurrentStatusEntity;
}
