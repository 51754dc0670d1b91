// Where bench:e2e's latency goes, hop by hop: an observer consumer of its own reads the topics a probe
// passes through (orders, the inventory query's repartition topic, inventory) and notes when it first
// sees each probe there. Its fetches long-poll and the broker answers them at the append, so "seen on a
// topic" is the append plus the observer's own fetch turn-around (a few ms on an idle core). The
// differences between consecutive sightings are the hops:
//   produce        sent -> appended to orders (client linger, request, broker append)
//   group by       orders -> repartition topic (the query's fetch, processing, output produce)
//   aggregate      repartition topic -> inventory (fetch of the repartition hop, aggregate, produce)
//   sink           inventory -> row inserted in PostgreSQL (connect's fetch, conversion, upsert, commit)
import { openKafka, type GroupConsumer, type Kafka } from '../src/client/index.js';

export const HOPS = ['produce', 'group by', 'aggregate', 'sink'] as const;

/** Probe ids are `probe-<rate>-<n>`; they appear as bytes in a key (re-keyed topics) or an Avro value. */
const PROBE = /probe-\d+-\d+/;

export class HopObserver {
  /** For each topic, in pipeline order: probe id to the moment the observer first saw it there. */
  readonly seen: Map<string, number>[];
  #running = true;
  #loop: Promise<void> | undefined;

  private constructor(
    private readonly kafka: Kafka,
    private readonly consumer: GroupConsumer,
    readonly topics: readonly string[],
  ) {
    this.seen = topics.map(() => new Map());
  }

  /** Joins a group of its own on `topics` (pipeline order), reading from their ends. */
  static async start(bootstrapServers: string, topics: readonly string[]): Promise<HopObserver> {
    const kafka = openKafka({ bootstrapServers, clientId: 'bench-e2e-hops' });
    const consumer = kafka.consumer({
      group: `bench-e2e-hops-${process.pid}-${Date.now()}`,
      topics,
      fallback: 'latest',
    });
    await consumer.start();
    const observer = new HopObserver(kafka, consumer, topics);
    observer.#loop = observer.#run();
    return observer;
  }

  async #run(): Promise<void> {
    const index = new Map(this.topics.map((topic, i) => [topic, i]));
    while (this.#running) {
      const batches = await this.consumer.poll(200);
      const now = Date.now();
      for (const batch of batches) {
        const seen = this.seen[index.get(batch.topic) ?? -1];
        if (seen === undefined) continue;
        for (const record of batch.records) {
          const text =
            (record.key?.toString('latin1') ?? '') + '\0' + (record.value?.toString('latin1') ?? '');
          if (!text.includes('probe-')) continue;
          const id = PROBE.exec(text)?.[0];
          if (id !== undefined && !seen.has(id)) seen.set(id, now);
        }
      }
    }
  }

  async stop(): Promise<void> {
    this.#running = false;
    await this.#loop;
    await this.consumer.close();
    await this.kafka.close();
  }

  /**
   * Per hop, the p50 and p99 of its share of each probe's latency: sent -> first topic -> ... -> the
   * row's insert. Only probes seen at every step count.
   */
  breakdown(
    sentAt: ReadonlyMap<string, number>,
    insertedAt: ReadonlyMap<string, number>,
  ): { hop: string; p50: number; p99: number }[] {
    const steps: number[][] = HOPS.map(() => []);
    for (const [id, sent] of sentAt) {
      const times = [sent, ...this.seen.map((seen) => seen.get(id)), insertedAt.get(id)];
      if (times.some((time) => time === undefined)) continue;
      for (let hop = 0; hop < HOPS.length; hop++) steps[hop]!.push(times[hop + 1]! - times[hop]!);
    }
    return HOPS.map((hop, i) => {
      const sorted = steps[i]!.sort((a, b) => a - b);
      const at = (fraction: number) =>
        sorted.length === 0
          ? NaN
          : sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)]!;
      return { hop, p50: at(0.5), p99: at(0.99) };
    });
  }
}
