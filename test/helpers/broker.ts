// Starts a real broker for a test: in this process (fast) or as a child process (for restarts and kills).
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import net from 'node:net';
import { startBroker, type RunningBroker } from '../../src/broker/main.js';
import { silentLogger } from '../../src/broker/logger.js';
import type { BrokerConfig } from '../../src/broker/config.js';
import { FETCH_BLOCKED_PORTS } from '../../src/supervisor/ports.js';

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

/*
 * Ports for children that must know their port before they start (`venice up` reads them from
 * venice.yaml). Anything that can bind port 0 and report back should do that instead (see spawnBroker):
 * a port chosen here is free when checked, but nothing holds it until the child binds it.
 *
 * To make that gap harmless, ports come from below the kernel's ephemeral range (which port-0 binds and
 * outgoing connections draw from, so no client socket of a running test can take them), from a slice of
 * that range of its own for each vitest worker (so parallel test files never race each other), starting
 * at a random place in the slice (so two test runs on one machine rarely walk the same ports), and never
 * twice in one process. A collision with another program is still possible: `withFreePorts` retries a
 * start that failed on a port in use, and says so in the test output.
 */
const LOWEST_PORT = 10_000;
const handedOut = new Set<number>();
let nextCandidate: number | undefined;

function ephemeralRangeStart(): number {
  try {
    // Linux: "32768\t60999". Elsewhere the IANA range (49152-65535) applies.
    const [low] = fs.readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/);
    const parsed = Number(low);
    return Number.isInteger(parsed) && parsed > LOWEST_PORT + 1000 ? parsed : 49_152;
  } catch {
    return 49_152;
  }
}

/** Workers beyond this many share slices (VITEST_POOL_ID counts from 1 to the worker count). */
const SLICES = 16;

/** This worker's share of [LOWEST_PORT, ephemeral start). */
function workerSlice(): { first: number; size: number } {
  const worker = Math.max(Number(process.env.VITEST_POOL_ID) || 1, 1);
  const size = Math.floor((ephemeralRangeStart() - LOWEST_PORT) / SLICES);
  return { first: LOWEST_PORT + ((worker - 1) % SLICES) * size, size };
}

function canBind(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** A TCP port on loopback that is free now, for a child that must be told its port before it starts. */
export async function freePort(): Promise<number> {
  const { first, size } = workerSlice();
  nextCandidate ??= first + Math.floor(Math.random() * size);
  for (let tried = 0; tried < size; tried++) {
    const port = nextCandidate;
    nextCandidate = first + ((nextCandidate - first + 1) % size);
    // Node's fetch refuses the Fetch standard's bad ports (10080 is in this range): an HTTP component there could not be reached.
    if (handedOut.has(port) || FETCH_BLOCKED_PORTS.has(port) || !(await canBind(port))) continue;
    handedOut.add(port);
    return port;
  }
  throw new Error(`no free port in ${first}-${first + size - 1}: too many ports handed out or in use`);
}

/** Distinct free ports, for a child that needs several (Kafka, health, registry). */
export async function freePorts(count: number): Promise<number[]> {
  const ports: number[] = [];
  for (let i = 0; i < count; i++) ports.push(await freePort());
  return ports;
}

/** Errors from a start that failed because another program took one of the ports first. */
const PORT_IN_USE = /EADDRINUSE|address already in use|port \d+ is (already )?in use|already in use/i;

/**
 * Runs `start` with `count` fresh free ports, and again with new ports if it failed because a port was
 * taken meanwhile (a collision is logged, so a flaky neighbour is visible rather than silent). `start`
 * must clean up after a failed attempt (stop what it started) before throwing.
 */
export async function withFreePorts<T>(
  count: number,
  start: (ports: number[]) => Promise<T>,
  attempts = 3,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    const ports = await freePorts(count);
    try {
      return await start(ports);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      if (attempt >= attempts || !PORT_IN_USE.test(message)) throw error;
      console.log(`ports ${ports.join(', ')} were taken before the child bound them; retrying with new ones`);
    }
  }
}

const CLI = path.resolve('bin/venice.js');

export interface BrokerProcess {
  child: ChildProcess;
  /** The Kafka port the broker bound, read back from its own log. */
  port: number;
  bootstrap: string;
  output(): string;
  /** Resolves when the process has exited. */
  exited: Promise<number | null>;
}

/** The broker's startup log line: "... listening on 127.0.0.1:39123 (advertised ...)". */
// One listener: "listening on 127.0.0.1:9092 (...)"; several: "listening on ADMIN (PLAINTEXT) 127.0.0.1:9092 (...), ...".
const LISTENING_LINE = /listening on (?:\S+ \(\S+\) )?[^\s]*:(\d+)\b/;

const STARTUP_TIMEOUT_MS = 20_000;

/**
 * Runs `venice broker` from the built CLI, as a user would, and resolves once it listens.
 *
 * With the default port 0 the broker binds a free port itself and the port is read back from its
 * "listening on host:port" log line, so no other process can take the port between choosing and binding
 * it. The broker keeps its files in `<dataDir>/broker`, as under `venice up`. Pass a port only to restart a broker where its clients expect it (`spawnBroker(dir, old.port)`).
 * `extraArgs` come last, so they can override the test defaults given before them. `fdLimit` starts the
 * broker under that RLIMIT_NOFILE (soft and hard), through prlimit(1).
 */
export async function spawnBroker(
  dataDir: string,
  port = 0,
  extraArgs: string[] = [],
  launch: { fdLimit?: number } = {},
): Promise<BrokerProcess> {
  const [command, ...prefix] =
    launch.fdLimit === undefined
      ? [process.execPath]
      : ['prlimit', `--nofile=${launch.fdLimit}:${launch.fdLimit}`, process.execPath];
  const child = spawn(
    command,
    [
      ...prefix,
      CLI,
      'broker',
      '--port',
      String(port),
      '--data-dir',
      path.join(dataDir, 'broker'),
      '--group-initial-rebalance-delay-ms',
      String(TEST_GROUP_INITIAL_REBALANCE_DELAY_MS),
      ...extraArgs,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const boundPort = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`broker did not log "listening on" within ${STARTUP_TIMEOUT_MS} ms:\n${output}`));
    }, STARTUP_TIMEOUT_MS);
    const onExit = (code: number | null) => {
      clearTimeout(timer);
      reject(new Error(`broker exited with ${code} before listening:\n${output}`));
    };
    child.once('exit', onExit);
    let pending = '';
    let listening = false;
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (listening) return;
      pending += chunk.toString();
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        const match = LISTENING_LINE.exec(line);
        if (!match) continue;
        listening = true;
        clearTimeout(timer);
        child.off('exit', onExit);
        resolve(Number(match[1]));
        return;
      }
    });
  });
  return { child, port: boundPort, bootstrap: `127.0.0.1:${boundPort}`, output: () => output, exited };
}
