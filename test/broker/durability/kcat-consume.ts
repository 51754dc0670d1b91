// Reads every partition of a topic from the beginning up to the end offset it had when the read started,
// with kcat (librdkafka's consumer, no group), as `partition offset value` lines. Reading to a fixed end
// rather than "until caught up" keeps the read short while producers are still writing.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { ConsumedRecord } from './log-check.js';
import { KCAT } from './kcat-stream.js';

const run = promisify(execFile);
const TIMEOUT_MS = 20_000;

/** The log end offset of each partition (kcat -Q with timestamp -1). */
export async function endOffsets(bootstrap: string, topic: string, partitions: number): Promise<number[]> {
  const args = ['-Q', '-b', bootstrap];
  for (let partition = 0; partition < partitions; partition++) args.push('-t', `${topic}:${partition}:-1`);
  const { stdout } = await run(KCAT, args, { timeout: TIMEOUT_MS });
  const ends: number[] = [];
  for (const match of stdout.matchAll(/\[(\d+)\] offset (-?\d+)/g)) ends[Number(match[1])] = Number(match[2]);
  for (let partition = 0; partition < partitions; partition++) {
    if (ends[partition] === undefined)
      throw new Error(`no end offset for partition ${partition} in: ${stdout}`);
  }
  return ends;
}

export interface TopicContents {
  records: ConsumedRecord[];
  /** The end offset of each partition when the read started: the records read must cover [0, end). */
  endOffsets: number[];
}

export async function consumeAll(
  bootstrap: string,
  topic: string,
  partitions: number,
): Promise<TopicContents> {
  const ends = await endOffsets(bootstrap, topic, partitions);
  const parts = await Promise.all(
    ends.map((end, partition) => consumePartition(bootstrap, topic, partition, end)),
  );
  return { records: parts.flat(), endOffsets: ends };
}

async function consumePartition(
  bootstrap: string,
  topic: string,
  partition: number,
  end: number,
): Promise<ConsumedRecord[]> {
  if (end === 0) return [];
  const args = ['-C', '-b', bootstrap, '-t', topic, '-p', String(partition), '-o', 'beginning'];
  args.push('-c', String(end), '-e', '-q', '-f', '%p %o %s\\n');
  const { stdout } = await run(KCAT, args, { timeout: TIMEOUT_MS, maxBuffer: 256 * 1024 * 1024 });
  // kcat exits 0 even when stopped by a signal, and then its last output buffer is lost.
  if (stdout !== '' && !stdout.endsWith('\n')) {
    throw new Error(`kcat output for partition ${partition} was cut short`);
  }
  const records: ConsumedRecord[] = [];
  for (const line of stdout.split('\n')) {
    if (line === '') continue;
    const match = /^(\d+) (\d+) ?(.*)$/.exec(line);
    if (!match) throw new Error(`unexpected kcat output line: ${JSON.stringify(line)}`);
    // An empty or null value is reported by the log check as a record that was never sent.
    records.push({ partition: Number(match[1]), offset: Number(match[2]), value: match[3] });
  }
  const last = records[records.length - 1];
  if (!last || last.offset < end - 1) {
    // kcat gave up (timeout) before the end offset it was asked to reach.
    throw new Error(
      `read partition ${partition} up to offset ${last ? last.offset : 'none'} of end ${end} within ${TIMEOUT_MS} ms`,
    );
  }
  return records;
}
