// Starts a real broker for a test: in this process (fast) or as a child process (for restarts and kills).
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import net from 'node:net';
import { startBroker, type RunningBroker } from '../../src/broker/main.js';
import { silentLogger } from '../../src/broker/logger.js';
import type { BrokerConfig } from '../../src/broker/config.js';

export function temporaryDataDir(label: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `venice-${label}-`));
}

/**
 * Tests start groups without Kafka's 3 s initial rebalance delay (group.initial.rebalance.delay.ms), which
 * would only slow them down; a test of the delay itself sets it.
 */
const TEST_GROUP_INITIAL_REBALANCE_DELAY_MS = 0;

export async function startTestBroker(
  overrides: Partial<BrokerConfig> = {},
): Promise<RunningBroker & { bootstrap: string }> {
  const broker = await startBroker(
    {
      port: 0,
      dataDir: overrides.dataDir ?? temporaryDataDir('broker'),
      groupInitialRebalanceDelayMs: TEST_GROUP_INITIAL_REBALANCE_DELAY_MS,
      ...overrides,
    },
    silentLogger(),
  );
  return Object.assign(broker, { bootstrap: `127.0.0.1:${broker.port}` });
}

/** A free TCP port on loopback, for brokers that must keep their port across restarts. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

const CLI = path.resolve('bin/venice.js');

export interface BrokerProcess {
  child: ChildProcess;
  port: number;
  bootstrap: string;
  output(): string;
  /** Resolves when the process has exited. */
  exited: Promise<number | null>;
}

/**
 * Runs `venice broker` from the built CLI, as a user would, and waits until it accepts connections.
 * `extraArgs` come last, so they can override the test defaults given before them.
 */
export async function spawnBroker(
  dataDir: string,
  port: number,
  extraArgs: string[] = [],
): Promise<BrokerProcess> {
  const child = spawn(
    process.execPath,
    [
      CLI,
      'broker',
      '--port',
      String(port),
      '--data-dir',
      dataDir,
      '--group-initial-rebalance-delay-ms',
      String(TEST_GROUP_INITIAL_REBALANCE_DELAY_MS),
      ...extraArgs,
    ],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`broker exited with ${child.exitCode}:\n${output}`);
    if (/listening on/.test(output) && (await canConnect(port))) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`broker did not start within 20 s:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return { child, port, bootstrap: `127.0.0.1:${port}`, output: () => output, exited };
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
