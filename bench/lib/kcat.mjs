// kcat (librdkafka) runs: timed produce and consume, topic creation and end-offset checks.
import { setTimeout as sleep } from 'node:timers/promises';
import { run, startCpuMeter } from './processes.mjs';

export const KCAT = '/usr/bin/kcat';

// Throughput settings for librdkafka 2.0.2: ~1 MB batches, and a queue that holds the whole input so
// kcat never sleeps on a full queue.
export const THROUGHPUT_PRODUCER_SETTINGS = [
  'linger.ms=5',
  'batch.num.messages=10000',
  'batch.size=1000000',
  'queue.buffering.max.messages=1000000',
].flatMap((setting) => ['-X', setting]);

/** Asks for the topic until its partition 0 has a leader, so auto-creation is not timed. */
export async function ensureTopic(brokerAddress, topic) {
  for (let attempt = 0; attempt < 20; attempt++) {
    let metadata = '';
    await run(KCAT, ['-L', '-b', brokerAddress, '-t', topic, '-m', '5'], {
      onStdout: (text) => (metadata += text),
    });
    if (/partition 0, leader \d+/.test(metadata)) return;
    await sleep(250);
  }
  throw new Error(`topic ${topic} did not get a leader for partition 0`);
}

/** Offset at the end of partition 0 (ListOffsets, latest), or null if kcat could not get it. */
export async function endOffset(brokerAddress, topic) {
  let answer = '';
  await run(KCAT, ['-Q', '-b', brokerAddress, '-t', `${topic}:0:-1`], {
    onStdout: (text) => (answer += text),
  });
  const match = / offset (-?\d+)/.exec(answer);
  return match ? Number(match[1]) : null;
}

/**
 * Runs kcat to completion while measuring its wall time and CPU use: kcat's exactly (from this process's
 * reaped-children counters), the broker's from /proc, and the rest of the machine's.
 */
async function timedKcat(args, brokerPid, options) {
  const stopCpuMeter = startCpuMeter(brokerPid);
  const result = await run(KCAT, args, options);
  return { ...result, cpu: stopCpuMeter(result.seconds) };
}

/** Produces every line of `inputFile` as one record to partition 0 and waits for all delivery reports. */
export async function produce({ brokerAddress, brokerPid, topic, inputFile, acks, extraArgs = [] }) {
  const args = ['-P', '-b', brokerAddress, '-t', topic, '-p', '0', '-l', inputFile, '-X', `acks=${acks}`];
  const result = await timedKcat([...args, ...THROUGHPUT_PRODUCER_SETTINGS, ...extraArgs], brokerPid);
  // Not quiet: kcat prints one "Delivery failed" line per failed record and exits 1 if there was any.
  const deliveryFailures = (result.stderr.match(/Delivery failed/g) ?? []).length;
  return { ...result, deliveryFailures };
}

/**
 * Reads `count` records of partition 0 from the beginning; kcat prints only offsets, which are counted
 * here. -c rather than only -e: kcat learns of the partition's end from an empty fetch, which the broker
 * rightly holds for fetch.wait.max.ms (500 ms), a wait that would be timed as if it were reading.
 * -e stays so that a short partition ends the run instead of hanging it.
 */
export async function consume({ brokerAddress, brokerPid, topic, count }) {
  let records = 0;
  const args = [
    '-C',
    '-b',
    brokerAddress,
    '-t',
    topic,
    '-p',
    '0',
    '-o',
    'beginning',
    '-c',
    String(count),
    '-e',
  ];
  args.push('-q', '-f', '%o\n');
  const result = await timedKcat(args, brokerPid, {
    onStdout: (chunk) => {
      for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) records++;
    },
  });
  return { ...result, records };
}
