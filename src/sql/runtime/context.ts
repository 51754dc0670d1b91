// What the runtime needs from its host (the engine): the Kafka client, the serdes, the service id and
// the properties. The engine builds one and passes it to every entry point of runtime/index.ts.
import type { Kafka } from '../../client/index.js';
import type { Logger } from '../../service/index.js';
import type { RowSerde, SerdeTarget } from '../formats/format.js';
import type { FunctionRegistry } from '../functions/index.js';

export interface RuntimeDeps {
  readonly kafka: Kafka;
  /** ksql.service.id, e.g. `default_`: names query groups, changelogs and the processing log. */
  readonly serviceId: string;
  /** formats' createSerde bound to the schema registry client, if any. */
  readonly createSerde: (target: SerdeTarget) => Promise<RowSerde>;
  readonly functions: FunctionRegistry;
  readonly logger: Logger;
  /** ksql.* properties in effect (server-wide merged with the statement's), e.g. ksql.streams.auto.offset.reset. */
  readonly properties?: Readonly<Record<string, string>>;
  /** Where persistent queries keep their state stores on disk; without it they keep them in memory. */
  readonly stateDir?: string;
  /** This engine's instance id (process-id.ts): part of exactly-once transactional ids. */
  readonly processId?: string;
}
