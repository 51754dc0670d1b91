// For engine tests over a real broker (and, when asked, a schema registry): the broker and a Kafka client
// for the file's tests, engines started on it (each stopped after the file), and the small readers those
// tests share.
import { afterAll, beforeAll } from 'vitest';
import { openKafka, type Kafka } from '../../../src/client/index.js';
import { createSqlEngine, type CurrentStatusEntity, type SqlEngine } from '../../../src/sql/engine/index.js';
import { silentLogger } from '../../../src/service/index.js';
import type { RunningRegistry } from '../../../src/registry/service.js';
import { startTestBroker, temporaryDataDir } from '../../helpers/broker.js';
import { startTestRegistry } from '../../registry/helpers.js';

export interface EngineOnBroker {
  /** The broker's bootstrap address, once beforeAll has run. */
  readonly bootstrap: () => string;
  readonly kafka: () => Kafka;
  /** The schema registry's URL, with `{ registry: true }`. */
  readonly registryUrl: () => string;
  /** A started engine with its own state directory; `properties` are its server-wide properties. */
  readonly startEngine: (
    serviceId: string,
    properties?: Readonly<Record<string, string>>,
  ) => Promise<SqlEngine>;
  /** Every record value of a topic, from the beginning to its current end. */
  readonly valuesIn: (topic: string) => Promise<string[]>;
}

/** Call at a test file's top level: the broker starts before its tests, and all stops after them. */
export function useEngineOnBroker(options: { readonly registry?: boolean } = {}): EngineOnBroker {
  let broker: Awaited<ReturnType<typeof startTestBroker>> | undefined;
  let registry: RunningRegistry | undefined;
  let kafka: Kafka | undefined;
  const engines: SqlEngine[] = [];

  beforeAll(async () => {
    broker = await startTestBroker();
    if (options.registry === true) registry = await startTestRegistry(broker.bootstrap);
    kafka = openKafka({ bootstrapServers: broker.bootstrap });
  }, 60_000);

  afterAll(async () => {
    for (const engine of engines) await engine.stop();
    await kafka?.close();
    await registry?.stop();
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
  const registryUrl = (): string => {
    if (registry === undefined) throw new Error('no schema registry: useEngineOnBroker({ registry: true })');
    return registry.url;
  };
  return {
    bootstrap,
    kafka: client,
    registryUrl,
    startEngine: async (serviceId, properties) => {
      const engine = createSqlEngine({
        kafka: { bootstrapServers: bootstrap() },
        ...(registry === undefined ? {} : { schemaRegistryUrl: registry.url }),
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
