// Machine facts and limits measured in the same run, so broker figures can be read as fractions of them.
import { spawn, execFileSync } from 'node:child_process';
import { closeSync, fdatasyncSync, fsyncSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

const MiB = 1 << 20;

export function describeMachine(dataDir) {
  const cpuModel = /model name\s*:\s*(.*)/.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? 'unknown';
  const kcatVersion = /Version (\S+) .*?(librdkafka \S+)/.exec(
    execFileSync('kcat', ['-V'], { encoding: 'utf8' }),
  );
  const filesystem = execFileSync('df', ['-T', dataDir], { encoding: 'utf8' }).trim().split('\n').pop();
  return {
    cpus: os.availableParallelism(),
    cpuModel,
    memoryGiB: os.totalmem() / 2 ** 30,
    kernel: `${os.type()} ${os.release()}`,
    node: process.version,
    kcat: kcatVersion ? `kcat ${kcatVersion[1]}, ${kcatVersion[2]}` : 'unknown',
    filesystem: filesystem.split(/\s+/).slice(0, 2).join(' '),
    loadAverage: os.loadavg(),
  };
}

/** Sequential write of `totalBytes` in 1 MiB blocks, then one fsync; MB/s including the fsync. */
export function measureDiskWrite(dir, totalBytes = 1024 * MiB) {
  const file = path.join(dir, 'disk-write.bin');
  const block = Buffer.alloc(MiB, 0x5a);
  const fd = openSync(file, 'w');
  const started = performance.now();
  for (let written = 0; written < totalBytes; written += block.length) writeSync(fd, block);
  fsyncSync(fd);
  const seconds = (performance.now() - started) / 1000;
  closeSync(fd);
  unlinkSync(file);
  return { mbPerSecond: totalBytes / 1e6 / seconds, seconds };
}

/**
 * Cost of one small append made durable: what acks=all pays per produce request when the broker
 * flushes before answering.
 */
export function measureSmallSyncedWrites(dir, count = 200, size = 4096) {
  const file = path.join(dir, 'fsync-latency.bin');
  const block = Buffer.alloc(size, 0x5a);
  const fd = openSync(file, 'w');
  const started = performance.now();
  for (let i = 0; i < count; i++) {
    writeSync(fd, block);
    fdatasyncSync(fd);
  }
  const msPerSync = (performance.now() - started) / count;
  closeSync(fd);
  unlinkSync(file);
  return { msPerSync };
}

/**
 * Pushes `totalBytes` through 127.0.0.1 from this process to a sink in a second Node process (so each
 * side can have its own core, as broker and client do), in 1 MiB writes.
 */
export async function measureLoopback(totalBytes = 2048 * MiB) {
  const sinkScript = path.join(path.dirname(fileURLToPath(import.meta.url)), 'loopback-sink.mjs');
  const sink = spawn(process.execPath, [sinkScript], { stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    const port = await new Promise((resolve, reject) => {
      sink.stdout.once('data', (text) => resolve(Number(String(text).trim())));
      sink.once('exit', () => reject(new Error('loopback sink exited before listening')));
    });
    const block = Buffer.alloc(MiB, 0x5a);
    const socket = net.connect(port, '127.0.0.1');
    await new Promise((resolve) => socket.once('connect', resolve));
    const started = performance.now();
    const received = new Promise((resolve) => {
      let reply = '';
      socket.on('data', (text) => (reply += text));
      socket.on('end', () => resolve(Number(reply)));
    });
    for (let sent = 0; sent < totalBytes; sent += block.length) {
      if (!socket.write(block)) await new Promise((resolve) => socket.once('drain', resolve));
    }
    socket.end();
    const bytes = await received; // the sink replies with its byte count once it has read everything
    const seconds = (performance.now() - started) / 1000;
    socket.destroy();
    return { mbPerSecond: bytes / 1e6 / seconds, seconds, bytes };
  } finally {
    sink.kill();
  }
}
