// Produce-to-consume latency at a fixed rate: this process writes timestamped lines into a kcat
// producer's stdin and reads them back from a kcat consumer's stdout, so one clock measures both ends.
import { spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { clearInterval, setInterval } from 'node:timers';
import { setTimeout as sleep } from 'node:timers/promises';
import { KCAT } from './kcat.mjs';
import { startCpuMeter } from './processes.mjs';
import { percentile } from './stats.mjs';

const RECORD_SIZE = 100;

function record(sequence, sentAtMs) {
  const text = `${sequence} ${sentAtMs.toFixed(3)} `;
  return text.padEnd(RECORD_SIZE, 'x') + '\n';
}

/** Starts a consumer at the end of partition 0; resolves once it reports having reached the end. */
async function startConsumer(brokerAddress, topic, onRecord) {
  // -u: unbuffered output, so a record is written as soon as kcat has it.
  const args = ['-C', '-b', brokerAddress, '-t', topic, '-p', '0', '-o', 'end', '-u', '-f', '%s\n'];
  const consumer = spawn(KCAT, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let partial = '';
  consumer.stdout.setEncoding('utf8').on('data', (text) => {
    const receivedAtMs = performance.now();
    const lines = (partial + text).split('\n');
    partial = lines.pop();
    for (const line of lines) onRecord(line, receivedAtMs);
  });
  const atEnd = new Promise((resolve) => {
    consumer.stderr.setEncoding('utf8').on('data', (text) => {
      if (text.includes('Reached end')) resolve();
    });
  });
  // Without the end-of-partition notice, a few seconds is plenty for kcat to connect and start fetching.
  await Promise.race([atEnd, sleep(5000)]);
  return consumer;
}

/**
 * Sends `rate` records/s for `seconds` and reports latency percentiles over the records sent after
 * `warmupSeconds`.
 */
export async function measureLatency({
  brokerAddress,
  brokerPid,
  topic,
  acks,
  rate = 10_000,
  seconds = 10,
  warmupSeconds = 2,
}) {
  const latencies = [];
  let received = 0;
  const stopCpuMeter = startCpuMeter(brokerPid);
  const meterStarted = performance.now();
  const consumer = await startConsumer(brokerAddress, topic, (line, receivedAtMs) => {
    const [sequence, sentAtMs] = line.split(' ', 2);
    received++;
    if (Number(sequence) >= rate * warmupSeconds) latencies.push(receivedAtMs - Number(sentAtMs));
  });
  const producerArgs = [
    '-P',
    '-b',
    brokerAddress,
    '-t',
    topic,
    '-p',
    '0',
    '-X',
    `acks=${acks}`,
    '-X',
    'linger.ms=0',
  ];
  const producer = spawn(KCAT, producerArgs, { stdio: ['pipe', 'ignore', 'inherit'] });
  const producerExited = new Promise((resolve) => producer.once('exit', resolve));

  // Every millisecond tick sends the records that are due by now, so timer jitter does not change the rate.
  const total = rate * seconds;
  let sent = 0;
  const started = performance.now();
  await new Promise((resolve) => {
    const ticker = setInterval(() => {
      const due = Math.min(total, Math.floor(((performance.now() - started) / 1000) * rate));
      let lines = '';
      for (; sent < due; sent++) lines += record(sent, performance.now());
      if (lines) producer.stdin.write(lines);
      if (sent === total) {
        clearInterval(ticker);
        resolve();
      }
    }, 1);
  });
  const sendSeconds = (performance.now() - started) / 1000;
  producer.stdin.end();
  await producerExited;
  for (let waited = 0; received < total && waited < 5000; waited += 50) await sleep(50);
  const consumerClosed = new Promise((resolve) => consumer.once('close', resolve));
  consumer.kill();
  await consumerClosed; // reaped, so its CPU time is counted
  const cpu = stopCpuMeter((performance.now() - meterStarted) / 1000);

  latencies.sort((a, b) => a - b);
  return {
    acks,
    sent: total,
    received,
    achievedRate: total / sendSeconds,
    p50: percentile(latencies, 0.5),
    p99: percentile(latencies, 0.99),
    max: latencies.at(-1),
    cpu,
  };
}
