// A broker with many partitions: how long CreateTopics of PARTITIONS partitions takes, how long other
// clients wait meanwhile (a probe connection sends Metadata requests back to back; its slowest answer is the
// longest the broker kept it waiting), and how long the broker takes to stop and to start again with them.
// Also the broker's resident memory, empty and with the partitions (after the creation, after a restart).
// Each run uses a fresh data dir and a `venice broker` child process, as the supervisor starts it.
// Run: npm run bench:partitions   (RUNS=n runs, 3 by default; PARTITIONS=n, 10000 by default)
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { Reader, Writer } from '../dist/protocol/primitives.js';
import { writeRequestHeader } from '../dist/protocol/generated/request-header.js';
import { readResponseHeader } from '../dist/protocol/generated/response-header.js';
import { defaultRequestBody, readResponseBody, writeRequestBody } from '../dist/protocol/generated/apis.js';
import { requestHeaderVersion, responseHeaderVersion } from '../dist/protocol/api-headers.js';
import { describeMachine } from './lib/machine.mjs';
import { median } from './lib/stats.mjs';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const RUNS = Number(process.env.RUNS ?? 3);
const PARTITIONS = Number(process.env.PARTITIONS ?? 10_000);
const CREATE_TOPICS = 19;
const METADATA = 3;

/** A connection sending one request at a time and decoding the answer. */
class Connection {
  static open(port) {
    return new Promise((resolve, reject) => {
      const socket = net.connect(port, '127.0.0.1', () => resolve(new Connection(socket)));
      socket.once('error', reject);
    });
  }

  constructor(socket) {
    this.socket = socket;
    this.buffered = Buffer.alloc(0);
    this.waiting = new Map();
    this.correlationId = 1;
    socket.on('data', (chunk) => {
      this.buffered = Buffer.concat([this.buffered, chunk]);
      while (this.buffered.length >= 4 && this.buffered.length >= 4 + this.buffered.readInt32BE(0)) {
        const size = this.buffered.readInt32BE(0);
        const frame = this.buffered.subarray(4, 4 + size);
        this.buffered = this.buffered.subarray(4 + size);
        const id = frame.readInt32BE(0);
        this.waiting.get(id)?.(frame);
        this.waiting.delete(id);
      }
    });
  }

  send(apiKey, version, fields) {
    const correlationId = this.correlationId++;
    const writer = new Writer();
    writeRequestHeader(writer, requestHeaderVersion(apiKey, version), {
      requestApiKey: apiKey,
      requestApiVersion: version,
      correlationId,
      clientId: 'bench-partitions',
    });
    writeRequestBody(apiKey, version, writer, { ...defaultRequestBody(apiKey), ...fields });
    const body = writer.toBuffer();
    const size = Buffer.alloc(4);
    size.writeInt32BE(body.length);
    const answer = new Promise((resolve) => this.waiting.set(correlationId, resolve));
    this.socket.write(Buffer.concat([size, body]));
    return answer.then((frame) => {
      const reader = new Reader(frame);
      readResponseHeader(reader, responseHeaderVersion(apiKey, version));
      return readResponseBody(apiKey, version, reader);
    });
  }

  close() {
    this.socket.destroy();
  }
}

/** Starts `venice broker`; resolves with the port and the ms until it logged "listening on". */
function startBroker(dataDir) {
  const started = performance.now();
  const child = spawn(process.execPath, ['bin/venice.js', 'broker', '--port', '0', '--data-dir', dataDir], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  return new Promise((resolve, reject) => {
    const onOutput = (text) => {
      output = (output + text).slice(-8000);
      const match = /listening on [^\s]*:(\d+)\b/.exec(output);
      if (match && !child.listening) {
        child.listening = true;
        resolve({ child, port: Number(match[1]), startMs: performance.now() - started });
      }
    };
    child.stdout.setEncoding('utf8').on('data', onOutput);
    child.stderr.setEncoding('utf8').on('data', onOutput);
    child.once('exit', (code) => {
      if (!child.listening) reject(new Error(`broker exited with ${code}:\n${output}`));
    });
  });
}

/** SIGTERM; resolves with the ms until the process exited. */
function stopBroker(child) {
  const started = performance.now();
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  return exited.then(() => performance.now() - started);
}

function residentMiB(pid) {
  const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Number(match[1]) / 1024 : NaN;
}

async function oneRun() {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'venice-bench-partitions-'));
  try {
    let broker = await startBroker(dataDir);
    const emptyMiB = residentMiB(broker.child.pid);
    const creator = await Connection.open(broker.port);
    const probe = await Connection.open(broker.port);
    // The probe asks for metadata of one (missing) topic back to back while the creation runs.
    let creating = true;
    let slowestProbeMs = 0;
    let probes = 0;
    const probing = (async () => {
      while (creating) {
        const sent = performance.now();
        await probe.send(METADATA, 12, {
          topics: [{ topicId: '00000000000000000000000000000000', name: 'probe' }],
          allowAutoTopicCreation: false,
          includeTopicAuthorizedOperations: false,
        });
        slowestProbeMs = Math.max(slowestProbeMs, performance.now() - sent);
        probes++;
      }
    })();
    const createStarted = performance.now();
    const response = await creator.send(CREATE_TOPICS, 7, {
      topics: [
        { name: 'wide', numPartitions: PARTITIONS, replicationFactor: 1, assignments: [], configs: [] },
      ],
      timeoutMs: 600_000,
      validateOnly: false,
    });
    const createMs = performance.now() - createStarted;
    creating = false;
    await probing;
    if (response.topics[0].errorCode !== 0)
      throw new Error(`CreateTopics failed: ${response.topics[0].errorMessage}`);
    creator.close();
    probe.close();
    const createdMiB = residentMiB(broker.child.pid);
    const firstStopMs = await stopBroker(broker.child);
    broker = await startBroker(dataDir);
    const startMs = broker.startMs;
    const restartedMiB = residentMiB(broker.child.pid);
    const stopMs = await stopBroker(broker.child);
    return {
      createMs,
      slowestProbeMs,
      probes,
      firstStopMs,
      startMs,
      stopMs,
      emptyMiB,
      createdMiB,
      restartedMiB,
    };
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

const machine = describeMachine(os.tmpdir());
console.log(
  `${PARTITIONS} partitions, ${RUNS} runs; ${machine.cpus} CPUs (${machine.cpuModel}), ${machine.kernel}, ` +
    `node ${machine.node}, ${machine.filesystem}, load ${machine.loadAverage.map((l) => l.toFixed(1)).join(' ')}`,
);
const runs = [];
for (let i = 0; i < RUNS; i++) {
  const run = await oneRun();
  runs.push(run);
  console.log(
    `run ${i + 1}: create ${run.createMs.toFixed(0)} ms (slowest of ${run.probes} metadata answers meanwhile ` +
      `${run.slowestProbeMs.toFixed(1)} ms), stop ${run.firstStopMs.toFixed(0)} ms, start ${run.startMs.toFixed(0)} ms, ` +
      `stop again ${run.stopMs.toFixed(0)} ms; resident ${run.emptyMiB.toFixed(0)} MiB empty, ` +
      `${run.createdMiB.toFixed(0)} MiB after the creation, ${run.restartedMiB.toFixed(0)} MiB after the restart`,
  );
}
const med = (key) => median(runs.map((run) => run[key])).toFixed(0);
console.log(
  `median: create ${med('createMs')} ms, slowest metadata answer during it ${median(runs.map((r) => r.slowestProbeMs)).toFixed(1)} ms, ` +
    `stop after create ${med('firstStopMs')} ms, start ${med('startMs')} ms, stop ${med('stopMs')} ms; ` +
    `resident ${med('emptyMiB')} / ${med('createdMiB')} / ${med('restartedMiB')} MiB`,
);
