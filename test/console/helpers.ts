// A real broker, a real schema registry and the console on ephemeral ports, for the console's tests.
import type { RunningRegistry } from '../../src/registry/service.js';
import { startConsole, type RunningConsole } from '../../src/console/service.js';
import { silentLogger } from '../../src/service/index.js';
import { startTestBroker } from '../helpers/broker.js';
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
