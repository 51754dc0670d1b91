// The part of the npm package ksqldb-client (CommonJS, untyped) the tests use.
import { createRequire } from 'node:module';

export interface ClientAnswer {
  status: number;
  error?: { message?: string };
  data?: { rows?: unknown[] };
}

export interface StreamedData {
  status: number;
  rows?: Record<string, unknown>[];
  metadata?: { queryId: string; columnNames: string[] };
}

export interface ClientSource {
  name: string;
  topic: string;
  type: string;
  keyFormat: string;
  valueFormat: string;
  isWindowed: boolean;
}

export interface ClientQuery {
  id: string;
  queryString: string;
  queryType: string;
  sinks: string[];
  sinkKafkaTopics: string[];
  state?: string;
}

export interface ClientSourceDescription {
  name: string;
  type: string;
  topic: string;
  keyFormat: string;
  valueFormat: string;
  statement: string;
  fields: { name: string; type?: string; schema: { type: string } }[];
  writeQueries?: ClientQuery[];
}

export interface PulledData {
  metadata: { columnNames: string[]; columnTypes: string[]; queryId?: string };
  rows?: unknown[];
}

export interface KsqldbClient {
  query(
    sql: string,
    params?: object,
  ): Promise<{ status: number; error?: { message?: string }; data?: PulledData }>;
  listTables(): Promise<ClientSource[]>;
  listTopics(): Promise<{ name: string; replicaInfo: number[] }[]>;
  listQueries(): Promise<ClientQuery[]>;
  describeSource(name: string): Promise<ClientSourceDescription>;
  connect(): Promise<void>;
  disconnect(): Promise<void>;
  executeStatement(sql: string, params?: object): Promise<ClientAnswer>;
  listStreams(): Promise<{ name: string }[]>;
  insertInto(stream: string, row: Record<string, unknown>): Promise<ClientAnswer>;
  streamQuery(sql: string, callback: (data: StreamedData) => void): Promise<ClientAnswer>;
  terminatePushQuery(queryId: string): Promise<ClientAnswer>;
}

export function ksqldbClient(host: string, port: number): KsqldbClient {
  const Client = createRequire(import.meta.url)('ksqldb-client') as new (options: {
    host: string;
    port: number;
  }) => KsqldbClient;
  return new Client({ host: `http://${host}`, port });
}
