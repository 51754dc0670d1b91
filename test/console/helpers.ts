// Real stacks for the console's tests, on ephemeral ports: a broker, the console, and whichever of the
// schema registry, the SQL engine and the connect worker a test asks for. One starter for all of them.
import { startConnect, type RunningConnect } from '../../src/connect/service.js';
import type { RunningRegistry } from '../../src/registry/service.js';
import { startSql, type RunningSql } from '../../src/sql/service.js';
import { startConsole, type RunningConsole } from '../../src/console/service.js';
import { silentLogger } from '../../src/service/index.js';
import { startTestBroker, temporaryDataDir } from '../helpers/broker.js';
import { startTestRegistry, type TestBroker } from '../registry/helpers.js';

export interface StackParts {
  /** Names the SQL engine's data folder. */
  name: string;
  registry?: boolean;
  sql?: boolean;
  connect?: boolean;
  /** The built UI the console serves; by default dist/console-ui. */
  uiDir?: string;
}

export interface Stack {
  broker: TestBroker;
  registry?: RunningRegistry;
  sql?: RunningSql;
  connect?: RunningConnect;
  /** The console, given the URLs of the parts started (null for the others). */
  console: RunningConsole;
  /** Calls the console's API and returns the status and the parsed JSON body. */
  api<T = Record<string, unknown>>(
    method: string,
    path: string,
    body?: unknown,
  ): Promise<{ status: number; body: T }>;
  stop(): Promise<void>;
}

/** A broker, the schema registry and the console. */
export type ConsoleStack = Stack & { registry: RunningRegistry };
/** A broker, the SQL engine, the connect worker and the console (no registry). */
export type PipelineStack = Stack & { sql: RunningSql; connect: RunningConnect };
/** Every component: the stack the browser walk and the screenshots use. */
export type FullStack = ConsoleStack & PipelineStack;

/**
 * Starts the broker, then the parts asked for side by side (connect waits only for the registry it
 * converts with), then the console; stops them in the reverse order.
 */
export async function startStack(parts: StackParts): Promise<Stack> {
  const broker = await startTestBroker();
  const registryStarting = parts.registry ? startTestRegistry(broker.bootstrap) : Promise.resolve(undefined);
  const [registry, sql, connect] = await Promise.all([
    registryStarting,
    parts.sql
      ? startSql({
          bootstrapServers: broker.bootstrap,
          port: 0,
          dataDir: temporaryDataDir(`${parts.name}-sql`),
          logger: silentLogger(),
        })
      : undefined,
    parts.connect
      ? registryStarting.then((started) =>
          startConnect({
            bootstrapServers: broker.bootstrap,
            port: 0,
            registryUrl: started?.url,
            logger: silentLogger(),
          }),
        )
      : undefined,
  ]);
  const running = await startConsole({
    bootstrapServers: broker.bootstrap,
    urls: { registry: registry?.url ?? null, sql: sql?.url ?? null, connect: connect?.url ?? null },
    port: 0,
    uiDir: parts.uiDir,
    logger: silentLogger(),
  });
  return {
    broker,
    registry,
    sql,
    connect,
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
      await connect?.stop();
      await sql?.stop();
      await registry?.stop();
      await broker.stop();
    },
  };
}

export async function startConsoleStack(options: { uiDir?: string } = {}): Promise<ConsoleStack> {
  return (await startStack({ name: 'console', registry: true, ...options })) as ConsoleStack;
}

export async function startPipelineStack(name: string): Promise<PipelineStack> {
  return (await startStack({ name, sql: true, connect: true })) as PipelineStack;
}

export async function startFullStack(name: string, options: { uiDir?: string } = {}): Promise<FullStack> {
  return (await startStack({ name, registry: true, sql: true, connect: true, ...options })) as FullStack;
}
