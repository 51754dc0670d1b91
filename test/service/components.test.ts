// The broker and the registry built on the service kit, run as users run them: a taken port stops the
// start with a message that names it, and SIGTERM stops a running component with exit code 0.
// Uses the built CLI (`npm run build` first).
import { spawn } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ServiceStartError } from '../../src/service/index.js';
import { freePort, spawnBroker, startTestBroker, temporaryDataDir } from '../helpers/broker.js';
import { startTestRegistry } from '../registry/helpers.js';

const CLI = path.resolve('bin/venice.js');
const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function occupiedPort(): Promise<number> {
  const holder = net.createServer();
  await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => new Promise((resolve) => holder.close(resolve)));
  return (holder.address() as net.AddressInfo).port;
}

/** Runs the CLI to its end; a process that never exits fails the test through the timeout. */
function runToExit(args: string[], timeoutMs = 20_000): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`venice ${args.join(' ')} still running after ${timeoutMs} ms:\n${output}`));
    }, timeoutMs);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

describe('venice broker', () => {
  it('exits non-zero, naming the port, when its health port is taken', async () => {
    const healthPort = await occupiedPort();
    const kafkaPort = await freePort();
    const { code, output } = await runToExit([
      'broker',
      '--port',
      String(kafkaPort),
      '--health-port',
      String(healthPort),
      '--data-dir',
      temporaryDataDir('health-taken'),
    ]);
    expect(code).not.toBe(0);
    expect(output).toContain(
      `port ${healthPort} (broker health) on 127.0.0.1 is already in use by pid ${process.pid}`,
    );
    expect(output).toContain('--health-port <port>');
    expect(output).toContain('VENICE_BROKER_HEALTH_PORT=<port>');
    // It did not go on serving Kafka without its health endpoint.
    expect(await canConnect(kafkaPort)).toBe(false);
  });

  it('stops on SIGTERM with exit code 0', async () => {
    const broker = await spawnBroker(temporaryDataDir('sigterm'), await freePort());
    broker.child.kill('SIGTERM');
    expect(await broker.exited).toBe(0);
    expect(broker.output()).toContain('broker stopped');
  });
});

describe('the registry', () => {
  it('fails to start on a taken port with a message naming it, and releases Kafka', async () => {
    const broker = await startTestBroker();
    cleanups.push(() => broker.stop());
    const port = await occupiedPort();
    const failure = await startTestRegistry(broker.bootstrap, { port }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ServiceStartError);
    expect((failure as ServiceStartError).message).toContain(`port ${port} (schema registry)`);
    expect((failure as ServiceStartError).hint).toContain('--registry-port <port>');
  });
});

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
