// A persistent query's checkpoints while it runs: after a batch's commit, at most every interval, the
// changelogs' ends are asked for and the stores write themselves and a checkpoint at those offsets
// (stores/index.ts), so that a start after a crash restores only the changelogs' tails. Kafka Streams
// checkpoints after its commits too; see stores/index.ts for why exactly once gets them here as well.
import type { Logger } from '../../../service/index.js';
import type { QueryContext } from '../query-context.js';
import type { Checkpoint } from './checkpoint.js';

export class RunningCheckpoints {
  #last: number;
  /** Checkpoints written (for tests and logs). */
  written = 0;

  constructor(
    private readonly context: QueryContext,
    /** 0: none while running. */
    private readonly intervalMs: number,
    /** The changelogs' ends, which the stores reflect right after a commit. */
    private readonly offsets: () => Promise<Checkpoint>,
    private readonly logger: Logger,
    private readonly queryId: string,
    private readonly now: () => number = Date.now,
  ) {
    this.#last = now();
  }

  /** Right after a batch's commit, before the next batch starts. */
  async afterCommit(): Promise<void> {
    if (this.intervalMs === 0 || !this.context.checkpoints) return;
    if (this.now() - this.#last < this.intervalMs) return;
    this.#last = this.now();
    try {
      if (this.context.saveCheckpoint(await this.offsets())) this.written++;
    } catch (error) {
      // Only the next start's restore gets longer: the query goes on.
      this.logger.warn({ queryId: this.queryId, err: error }, 'could not checkpoint the state stores');
    }
  }

  /**
   * Partitions are revoked: their state is about to leave the disk, behind the checkpoint's back. It is
   * taken away, and the next commit writes a new one.
   */
  drop(): void {
    if (this.intervalMs === 0 || !this.context.checkpoints) return;
    this.context.dropCheckpoint();
    this.#last = Number.NEGATIVE_INFINITY;
  }
}
