// What the SQL runtime tests over a real broker share: the runtime's dependencies as a test gives them,
// and reading a topic's records back.
import type { ConsumedRecord, Kafka } from '../../../src/client/index.js';
import { createSerde } from '../../../src/sql/formats/index.js';
import type { FunctionRegistry } from '../../../src/sql/functions/index.js';
import type { RuntimeDeps } from '../../../src/sql/runtime/index.js';
import { silentLogger } from '../../../src/service/index.js';

export function testRuntimeDeps(
  kafka: Kafka,
  functions: FunctionRegistry,
  properties: Readonly<Record<string, string>> = {},
): RuntimeDeps {
  return {
    kafka,
    serviceId: 'default_',
    createSerde: (target) => createSerde(target),
    functions,
    logger: silentLogger(),
    properties,
  };
}

/** The first `count` records of a topic, from its beginning (30 s at most). */
export async function readAll(kafka: Kafka, topic: string, count: number): Promise<ConsumedRecord[]> {
  const records: ConsumedRecord[] = [];
  for await (const record of kafka.consume({
    topic,
    from: { kind: 'beginning' },
    count,
    signal: AbortSignal.timeout(30_000),
  })) {
    records.push(record);
  }
  return records;
}
