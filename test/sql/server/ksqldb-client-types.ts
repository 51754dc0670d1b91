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

export interface KsqldbClient {
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
