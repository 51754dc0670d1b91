// The loop of a query over Kafka: poll a batch of the group's partitions, process its records in
// timestamp order, hand the outputs on, then commit the batch's offsets (at-least-once: a crash before the
// commit replays the batch). Used by persistent queries (outputs produced) and push queries (outputs to
// the client, nothing committed).
import type { GroupConsumer, PartitionBatch } from '../../client/index.js';
import type { InputRouter } from './input-router.js';
import { mergeByTimestamp } from './partition-merge.js';

export interface QueryLoopOptions {
  readonly consumer: GroupConsumer;
  readonly router: InputRouter;
  /** After a batch is processed: flush outputs; the batch is committed when it resolves. */
  readonly afterBatch: (batches: readonly PartitionBatch[]) => Promise<void>;
  readonly commit: boolean;
  readonly onFailure: (error: unknown) => void;
  /** After a poll that brought nothing, between batches (records waiting their turn may be released). */
  readonly onIdle?: () => Promise<void>;
  /** At a stop, after the batch in hand and before the consumer closes (outputs still in flight). */
  readonly beforeClose?: () => Promise<void>;
}

/** The longest a batch runs before timers and sockets get a turn. */
const YIELD_EVERY_MS = 20;

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

export class QueryLoop {
  #running = true;
  readonly #done: Promise<void>;
  /** The batch in hand or an exclusive task: each waits for the one before. */
  #lock: Promise<unknown> = Promise.resolve();

  constructor(private readonly options: QueryLoopOptions) {
    this.#done = this.#run();
  }

  get running(): boolean {
    return this.#running;
  }

  async #run(): Promise<void> {
    const { consumer, router, afterBatch } = this.options;
    const topics = router.topics;
    try {
      while (this.#running) {
        let batches = await consumer.poll(200);
        if (!this.#running) break;
        if (batches.length === 0) {
          const idle = this.options.onIdle;
          if (idle !== undefined) await this.exclusive(idle);
          continue;
        }
        const stopped = await this.exclusive(async () => {
          // A partition revoked while this batch waited for its turn is not processed here any more.
          const held = new Set(consumer.assignment().map((tp) => `${tp.topic}\0${tp.partition}`));
          batches = batches.filter((b) => held.has(`${b.topic}\0${b.partition}`));
          if (batches.length === 0) return false;
          let yieldAt = performance.now() + YIELD_EVERY_MS;
          let count = 0;
          for (const record of mergeByTimestamp(batches, topics)) {
            await router.process(record);
            if (!this.#running) break;
            // A big batch on a busy machine would hold the event loop for seconds (the supervisor's
            // health check gives up at 2 s): other work gets a turn every few milliseconds.
            if ((++count & 255) === 0 && performance.now() > yieldAt) {
              await yieldToEventLoop();
              yieldAt = performance.now() + YIELD_EVERY_MS;
            }
          }
          // Stopped mid-batch: nothing of it is committed, so it is all read again (at least once).
          if (!this.#running) return true;
          await afterBatch(batches);
          if (this.options.commit) {
            await consumer.commit(
              batches.map((b) => ({ topic: b.topic, partition: b.partition, offset: b.nextOffset })),
            );
          }
          return false;
        });
        if (stopped) break;
        // Outputs are not awaited (batch-committer.ts) and a buffered batch is polled without I/O, so a
        // query behind its input could go from batch to batch in microtasks alone: let timers and
        // sockets (the health check, the other queries' fetches) have their turn.
        await yieldToEventLoop();
      }
    } catch (error) {
      if (this.#running) this.options.onFailure(error);
    } finally {
      this.#running = false;
    }
  }

  /**
   * Runs `task` between batches: after the batch in hand is processed and committed, before the next
   * one starts (partitions coming or going, their state restored or dropped).
   */
  exclusive<T>(task: () => Promise<T>): Promise<T> {
    const result = this.#lock.then(task);
    this.#lock = result.catch(() => undefined);
    return result;
  }

  /** Stops after the batch in hand, then closes the consumer. */
  async stop(): Promise<void> {
    this.#running = false;
    if (this.options.beforeClose) {
      await this.#lock.catch(() => undefined);
      await this.options.beforeClose();
    }
    await this.options.consumer.close().catch(() => undefined);
    await this.#done;
  }
}
