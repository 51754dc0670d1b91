// The engine as the REST server, the CLI and the conformance runner see it. Statement results are
// ksqlDB's REST entities (entities.ts), so the server sends them as they are.
import type { KafkaConnectionOptions } from '../../client/index.js';
import type { Logger } from '../../service/index.js';
import type { SqlValue } from '../types/index.js';
import type { SqlFunction } from '../functions/registry.js';
import type { KsqlEntity } from './entities.js';
import type { TopicPrint } from '../print/topic-printer.js';

export interface SqlEngineOptions {
  readonly kafka: KafkaConnectionOptions;
  /** Schema registry for the *_SR, AVRO and PROTOBUF formats; without it those formats are refused. */
  readonly schemaRegistryUrl?: string;
  /** How to reach the registry (its credentials and trusted CA); the global fetch when left out. */
  readonly registryFetch?: typeof fetch;
  /** ksql.service.id (default "default_"): names the command topic and the query groups. */
  readonly serviceId?: string;
  /** Where state stores live: `<dataDir>/sql/state/...`. */
  readonly stateDir: string;
  readonly logger: Logger;
  /** Server-wide ksql.* properties, e.g. ksql.streams.auto.offset.reset. */
  readonly properties?: Readonly<Record<string, string>>;
  /**
   * User-defined scalar functions (ksqlDB's UDFs from its extension directory), added to the builtins;
   * a name a builtin already has is refused.
   */
  readonly userFunctions?: readonly SqlFunction[];
}

export type PropertyOverrides = Readonly<Record<string, string | number | boolean>>;

export interface StatementRequest {
  /** One or more statements, each ended by `;`. */
  readonly sql: string;
  readonly properties?: PropertyOverrides;
  readonly variables?: Readonly<Record<string, string>>;
}

/** A column of a query's result as /query and /query-stream describe it, e.g. `ID` and `STRING`. */
export interface ResultColumn {
  readonly name: string;
  /** ksqlDB's type text: `BIGINT`, `ARRAY<STRING>`, ``STRUCT<`A` INTEGER>`` */
  readonly type: string;
}

/** One row of a query's result; `tombstone` marks a deleted table row of a push query on a table. */
export interface ResultRow {
  readonly values: readonly SqlValue[];
  readonly tombstone?: boolean;
}

/** A running push query, or a pull query's finite answer. */
export type { TopicPrint };

export interface QueryHandle {
  readonly queryId: string;
  readonly columns: readonly ResultColumn[];
  /** Key column names of a table query (ksqlDB's `key` in the header). */
  readonly keyColumns?: readonly string[];
  readonly isPullQuery: boolean;
  /** Rows as they come; ends when a pull query is answered, LIMIT is reached, or close() is called. */
  rows(): AsyncIterable<ResultRow>;
  close(): Promise<void>;
}

export type OpenedStatement =
  | { readonly kind: 'query'; readonly handle: QueryHandle }
  | { readonly kind: 'print'; readonly print: TopicPrint };

export interface SqlEngine {
  /** Connects, reads the command topic and restarts the persistent queries it records. */
  start(): Promise<void>;
  /**
   * Runs statements other than SELECT (DDL, INSERT, SHOW, DESCRIBE, ...). Each gives one entity, or none
   * (SET, DEFINE). A failing statement throws SqlStatementError carrying the entities of the ones before.
   */
  execute(request: StatementRequest): Promise<KsqlEntity[]>;
  /** Starts a SELECT: push (EMIT CHANGES) or pull. */
  query(request: StatementRequest): Promise<QueryHandle>;
  /** Starts a SELECT (rows) or a PRINT (lines of text), the statements of the /query endpoints. */
  open(request: StatementRequest): Promise<OpenedStatement>;
  /** Writes rows into a stream, as /inserts-stream and INSERT INTO ... VALUES do. */
  insertRow(target: string, row: Readonly<Record<string, unknown>>): Promise<void>;
  /** Health for /healthcheck and /info. */
  health(): { readonly ok: boolean; readonly detail: Readonly<Record<string, unknown>> };
  /** ksql.service.id, /info's ksqlServiceId. */
  readonly serviceId: string;
  stop(): Promise<void>;
}
