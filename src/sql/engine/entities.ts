// ksqlDB's REST entities: what /ksql answers for each statement, tagged by `@type`. The shapes follow
// ksqlDB's JSON field for field, so its clients and the CLI read Venice's answers unchanged.

export interface CommandStatus {
  readonly status: 'QUEUED' | 'PARSING' | 'EXECUTING' | 'SUCCESS' | 'ERROR' | 'TERMINATED';
  readonly message: string;
  readonly queryId?: string | null;
}

interface EntityBase {
  readonly statementText: string;
  readonly warnings: readonly { readonly message: string }[];
}

/** CREATE, DROP, INSERT, TERMINATE: the command and how it went. */
export interface CurrentStatusEntity extends EntityBase {
  readonly '@type': 'currentStatus';
  readonly commandId: string;
  readonly commandStatus: CommandStatus;
  readonly commandSequenceNumber: number;
}

export interface SourceInfo {
  readonly type: 'STREAM' | 'TABLE';
  readonly name: string;
  readonly topic: string;
  readonly keyFormat: string;
  readonly valueFormat: string;
  readonly isWindowed: boolean;
}

export interface StreamsListEntity extends EntityBase {
  readonly '@type': 'streams';
  readonly streams: readonly SourceInfo[];
}

export interface TablesListEntity extends EntityBase {
  readonly '@type': 'tables';
  readonly tables: readonly SourceInfo[];
}

export interface RunningQuery {
  readonly queryString: string;
  readonly sinks: readonly string[];
  readonly sinkKafkaTopics: readonly string[];
  readonly id: string;
  readonly statusCount: Readonly<Record<string, number>>;
  readonly queryType: 'PERSISTENT' | 'PUSH';
  readonly state: string;
}

/** What made a query fail (ksqlDB's QueryError). */
export interface QueryError {
  readonly timestamp: number;
  readonly errorMessage: string;
  readonly type: 'USER' | 'SYSTEM' | 'UNKNOWN';
}

export interface QueriesEntity extends EntityBase {
  readonly '@type': 'queries';
  readonly queries: readonly RunningQuery[];
}

export interface PropertiesEntity extends EntityBase {
  readonly '@type': 'properties';
  readonly properties: readonly { readonly name: string; readonly scope: string; readonly value: string }[];
  readonly overwrittenProperties: readonly string[];
  readonly defaultProperties: readonly string[];
}

export interface KafkaTopicsEntity extends EntityBase {
  readonly '@type': 'kafka_topics';
  readonly topics: readonly { readonly name: string; readonly replicaInfo: readonly number[] }[];
}

/** SHOW TOPICS EXTENDED: each topic with the consumers and consumer groups reading it. */
export interface KafkaTopicsExtendedEntity extends EntityBase {
  readonly '@type': 'kafka_topics_extended';
  readonly topics: readonly {
    readonly name: string;
    readonly replicaInfo: readonly number[];
    readonly consumerCount: number;
    readonly consumerGroupCount: number;
  }[];
}

export interface FunctionNamesEntity extends EntityBase {
  readonly '@type': 'function_names';
  readonly functions: readonly {
    readonly name: string;
    readonly category: string;
    readonly type: 'SCALAR' | 'AGGREGATE' | 'TABLE';
  }[];
}

export interface FunctionDescriptionEntity extends EntityBase {
  readonly '@type': 'describe_function';
  readonly name: string;
  readonly description: string;
  readonly author: string;
  readonly version: string;
  readonly path: string;
  readonly type: 'SCALAR' | 'AGGREGATE' | 'TABLE';
  readonly functions: readonly {
    readonly arguments: readonly {
      readonly name: string;
      readonly type: string;
      readonly description: string;
      readonly isVariadic: boolean;
    }[];
    readonly returnType: string;
    readonly description: string;
    readonly argumentTypes: readonly string[];
  }[];
}

/** A column as DESCRIBE shows it; `schema` nests for ARRAY, MAP and STRUCT. */
export interface FieldInfo {
  readonly name: string;
  readonly schema: SchemaInfo;
  readonly type?: 'KEY' | 'HEADER';
  /** The header's key of a HEADER('k') column. */
  readonly headerKey?: string;
}

export interface SchemaInfo {
  readonly type: string;
  readonly fields: readonly FieldInfo[] | null;
  readonly memberSchema: SchemaInfo | null;
  /** DECIMAL's precision and scale. */
  readonly parameters?: Readonly<Record<string, number>>;
}

export interface SourceDescription {
  readonly name: string;
  readonly windowType: string | null;
  readonly readQueries: readonly RunningQuery[];
  readonly writeQueries: readonly RunningQuery[];
  readonly fields: readonly FieldInfo[];
  readonly type: 'STREAM' | 'TABLE';
  readonly timestamp: string;
  readonly statistics: string;
  readonly errorStats: string;
  readonly extended: boolean;
  readonly keyFormat: string;
  readonly valueFormat: string;
  readonly topic: string;
  readonly partitions: number;
  readonly replication: number;
  readonly statement: string;
  readonly queryOffsetSummaries: readonly unknown[];
  readonly sourceConstraints: readonly string[];
}

export interface SourceDescriptionEntity extends EntityBase {
  readonly '@type': 'sourceDescription';
  readonly sourceDescription: SourceDescription;
}

export interface SourceDescriptionListEntity extends EntityBase {
  readonly '@type': 'source_descriptions';
  readonly sourceDescriptions: readonly SourceDescription[];
}

export interface QueryDescription {
  readonly id: string;
  readonly statementText: string;
  readonly windowType: string | null;
  readonly fields: readonly FieldInfo[];
  readonly sources: readonly string[];
  readonly sinks: readonly string[];
  readonly topology: string;
  readonly executionPlan: string;
  readonly overriddenProperties: Readonly<Record<string, unknown>>;
  readonly queryType: 'PERSISTENT' | 'PUSH';
  readonly state: string;
  readonly queryErrors?: readonly QueryError[];
}

/** EXPLAIN. */
export interface QueryDescriptionEntity extends EntityBase {
  readonly '@type': 'queryDescription';
  readonly queryDescription: QueryDescription;
}

/** SHOW QUERIES EXTENDED. */
export interface QueryDescriptionListEntity extends EntityBase {
  readonly '@type': 'query_descriptions';
  readonly queryDescriptions: readonly QueryDescription[];
}

export interface VariablesEntity extends EntityBase {
  readonly '@type': 'variables';
  readonly variables: readonly { readonly name: string; readonly value: string }[];
}

export interface TypeListEntity extends EntityBase {
  readonly '@type': 'type_list';
  readonly types: Readonly<Record<string, SchemaInfo>>;
}

/** TERMINATE of a transient (push) query. */
export interface TerminateQueryEntity extends EntityBase {
  readonly '@type': 'terminate_query';
  readonly queryId: string;
  readonly wasTerminated: boolean;
}

export type KsqlEntity =
  | CurrentStatusEntity
  | StreamsListEntity
  | TablesListEntity
  | QueriesEntity
  | PropertiesEntity
  | KafkaTopicsEntity
  | KafkaTopicsExtendedEntity
  | FunctionNamesEntity
  | FunctionDescriptionEntity
  | SourceDescriptionEntity
  | SourceDescriptionListEntity
  | QueryDescriptionEntity
  | QueryDescriptionListEntity
  | VariablesEntity
  | TypeListEntity
  | TerminateQueryEntity;
