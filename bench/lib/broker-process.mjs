// Starts the built Venice broker as a child process on a free port and stops it again.
import { spawn } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { clearTimeout, setTimeout } from 'node:timers';
import { fileURLToPath } from 'node:url';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Resolves once the broker logs "listening on"; rejects with its last output if it exits or stalls. */
export async function startBroker({ dataDir, extraArgs = [], nodeArgs = [] }) {
  const port = await freePort();
  const args = [
    ...nodeArgs,
    'bin/venice.js',
    'broker',
    '--port',
    String(port),
    '--data-dir',
    dataDir,
    ...extraArgs,
  ];
  const child = spawn(process.execPath, args, { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let recentOutput = '';
  const ready = new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`broker not ready after 30 s:\n${recentOutput}`)),
      30_000,
    );
    const onOutput = (text) => {
      // Keep reading (and only a tail of) the log, so a chatty broker never blocks on a full pipe.
      recentOutput = (recentOutput + text).slice(-4000);
      if (recentOutput.includes('listening on')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout.setEncoding('utf8').on('data', onOutput);
    child.stderr.setEncoding('utf8').on('data', onOutput);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`broker exited with ${code}:\n${recentOutput}`));
    });
  });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  };
  try {
    await ready;
  } catch (error) {
    await stop();
    throw error;
  }
  return { address: `127.0.0.1:${port}`, pid: child.pid, stop, recentOutput: () => recentOutput };
}
