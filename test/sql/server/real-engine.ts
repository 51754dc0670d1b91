// The sql component as `venice up` runs it, in this process: a real broker, a real schema registry and
// startSql with the real engine (createSqlEngine, src/sql/engine/index.ts), and a Kafka client for the
// tests' own records.
import { openKafka, type Kafka } from '../../../src/client/index.js';
import { silentLogger } from '../../../src/service/index.js';
import { startSql, type RunningSql } from '../../../src/sql/service.js';
import { startTestBroker, temporaryDataDir } from '../../helpers/broker.js';
import { startTestRegistry } from '../../registry/helpers.js';

export interface RealSqlSetup {
  sql: RunningSql;
  bootstrap: string;
  registryUrl: string;
  /** A client of the broker for the test's own records and admin calls; closed by stop(). */
  kafka: Kafka;
  stop(): Promise<void>;
}

/** `properties` are added to (and may replace) the tests' server-wide properties. */
export async function startRealSql(properties: Readonly<Record<string, string>> = {}): Promise<RealSqlSetup> {
  const broker = await startTestBroker();
  const registry = await startTestRegistry(broker.bootstrap);
  const sql = await startSql({
    bootstrapServers: broker.bootstrap,
    schemaRegistryUrl: registry.url,
    port: 0,
    dataDir: temporaryDataDir('sql'),
    logger: silentLogger(),
    // Tests read what they wrote before their queries started.
    properties: { 'ksql.streams.auto.offset.reset': 'earliest', ...properties },
  });
  const kafka = openKafka({ bootstrapServers: broker.bootstrap, clientId: 'sql-server-test' });
  return {
    sql,
    bootstrap: broker.bootstrap,
    registryUrl: registry.url,
    kafka,
    stop: async () => {
      await kafka.close();
      await sql.stop();
      await registry.stop();
      await broker.stop();
    },
  };
}

/** A unique upper-case name, so tests sharing a server do not collide. */
let counter = 0;
export function uniqueName(prefix: string): string {
  counter += 1;
  return `${prefix}_${process.pid}_${counter}`.toUpperCase();
}
