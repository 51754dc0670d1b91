// Real stacks for the console's tests, on ephemeral ports: a broker, a schema registry and the console;
// or a broker, the SQL engine, the connect worker and the console.
import { startConnect, type RunningConnect } from '../../src/connect/service.js';
import type { RunningRegistry } from '../../src/registry/service.js';
import { startSql, type RunningSql } from '../../src/sql/service.js';
import { startConsole, type RunningConsole } from '../../src/console/service.js';
import { silentLogger } from '../../src/service/index.js';
import { startTestBroker, temporaryDataDir } from '../helpers/broker.js';
import { startTestRegistry, type TestBroker } from '../registry/helpers.js';

export interface ConsoleStack {
  broker: TestBroker;
  registry: RunningRegistry;
  console: RunningConsole;
  /** Calls the console's API and returns the status and the parsed JSON body. */
  api<T = Record<string, unknown>>(
    method: string,
    path: string,
    body?: unknown,
  ): Promise<{ status: number; body: T }>;
  stop(): Promise<void>;
}

export async function startConsoleStack(options: { uiDir?: string } = {}): Promise<ConsoleStack> {
  const broker = await startTestBroker();
  const registry = await startTestRegistry(broker.bootstrap);
  const running = await startConsole({
    bootstrapServers: broker.bootstrap,
    urls: { registry: registry.url, sql: null, connect: null },
    port: 0,
    uiDir: options.uiDir,
    logger: silentLogger(),
  });
  return {
    broker,
    registry,
    console: running,
    async api<T>(method: string, path: string, body?: unknown) {
      const response = await fetch(`${running.url}${path}`, {
        method,
        headers: body === undefined ? {} : { 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await response.text();
      return { status: response.status, body: (text ? JSON.parse(text) : null) as T };
    },
    async stop() {
      await running.stop();
      await registry.stop();
      await broker.stop();
    },
  };
}

export interface PipelineStack {
  broker: TestBroker;
  sql: RunningSql;
  connect: RunningConnect;
  /** The console with the SQL engine and the connect worker (no registry). */
  console: RunningConsole;
  stop(): Promise<void>;
}

/** A real broker, SQL engine and connect worker, and the console that reaches them. */
export async function startPipelineStack(name: string): Promise<PipelineStack> {
  const broker = await startTestBroker();
  const [sql, connect] = await Promise.all([
    startSql({
      bootstrapServers: broker.bootstrap,
      port: 0,
      dataDir: temporaryDataDir(`${name}-sql`),
      logger: silentLogger(),
    }),
    startConnect({ bootstrapServers: broker.bootstrap, port: 0, logger: silentLogger() }),
  ]);
  const running = await startConsole({
    bootstrapServers: broker.bootstrap,
    urls: { registry: null, sql: sql.url, connect: connect.url },
    port: 0,
    logger: silentLogger(),
  });
  return {
    broker,
    sql,
    connect,
    console: running,
    async stop() {
      await running.stop();
      await connect.stop();
      await sql.stop();
      await broker.stop();
    },
  };
}

export interface FullStack {
  broker: TestBroker;
  registry: RunningRegistry;
  sql: RunningSql;
  connect: RunningConnect;
  console: RunningConsole;
  stop(): Promise<void>;
}

/** Every component, real and on ephemeral ports: the stack the browser walk and the screenshots use. */
export async function startFullStack(name: string, options: { uiDir?: string } = {}): Promise<FullStack> {
  const broker = await startTestBroker();
  const registry = await startTestRegistry(broker.bootstrap);
  const [sql, connect] = await Promise.all([
    startSql({
      bootstrapServers: broker.bootstrap,
      port: 0,
      dataDir: temporaryDataDir(`${name}-sql`),
      logger: silentLogger(),
    }),
    startConnect({
      bootstrapServers: broker.bootstrap,
      port: 0,
      registryUrl: registry.url,
      logger: silentLogger(),
    }),
  ]);
  const running = await startConsole({
    bootstrapServers: broker.bootstrap,
    urls: { registry: registry.url, sql: sql.url, connect: connect.url },
    port: 0,
    uiDir: options.uiDir,
    logger: silentLogger(),
  });
  return {
    broker,
    registry,
    sql,
    connect,
    console: running,
    async stop() {
      await running.stop();
      await connect.stop();
      await sql.stop();
      await registry.stop();
      await broker.stop();
    },
  };
}
