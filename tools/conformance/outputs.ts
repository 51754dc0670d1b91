// Reading what the engine wrote. There is no "queries are idle" signal in the engine's API, so the runner
// polls each expected topic and stops when every topic has its expected count and nothing new came for a
// short while, or when nothing new came for a longer while (a case that writes too few records).
import type { ConsumedRecord, Kafka } from '../../src/client/index.js';

export interface OutputWaitOptions {
  /** Quiet time once every topic has as many records as expected (to catch extra records). */
  readonly settledQuietMs: number;
  /** Quiet time while some topic still has fewer records than expected. */
  readonly pendingQuietMs: number;
  readonly pollMs: number;
  /** Absolute time (Date.now()) to give up at. */
  readonly deadline: number;
}

export const DEFAULT_OUTPUT_WAIT: Omit<OutputWaitOptions, 'deadline'> = {
  settledQuietMs: 300,
  pendingQuietMs: 1500,
  pollMs: 50,
};

/** All records of a topic, by partition then offset; a topic that does not exist reads as empty. */
export async function readTopic(kafka: Kafka, topic: string): Promise<ConsumedRecord[]> {
  const records: ConsumedRecord[] = [];
  try {
    for await (const record of kafka.consume({ topic, from: { kind: 'beginning' }, stopAtEnd: true })) {
      records.push(record);
    }
  } catch {
    return records;
  }
  return records.sort((a, b) => a.partition - b.partition || Number(a.offset - b.offset));
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls the topics until their outputs look complete; returns each topic's records. */
export async function collectOutputs(
  kafka: Kafka,
  expectedCounts: ReadonlyMap<string, number>,
  options: OutputWaitOptions,
): Promise<Map<string, ConsumedRecord[]>> {
  const current = new Map<string, ConsumedRecord[]>();
  let total = -1;
  let lastChange = Date.now();
  for (;;) {
    let newTotal = 0;
    for (const topic of expectedCounts.keys()) {
      const records = await readTopic(kafka, topic);
      current.set(topic, records);
      newTotal += records.length;
    }
    const now = Date.now();
    if (newTotal !== total) {
      total = newTotal;
      lastChange = now;
    }
    const settled = [...expectedCounts].every(([topic, count]) => (current.get(topic)?.length ?? 0) >= count);
    const quiet = now - lastChange;
    if (settled && quiet >= options.settledQuietMs) return current;
    if (!settled && quiet >= options.pendingQuietMs) return current;
    if (now >= options.deadline) return current;
    await sleep(options.pollMs);
  }
}
