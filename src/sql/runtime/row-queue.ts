// Rows of a transient query on their way to the client: pushed by the query, pulled by rows(). It ends
// when the query ends it (LIMIT reached, pull answered, close()).
import type { ResultRow } from '../engine/api.js';

export class RowQueue {
  readonly #rows: ResultRow[] = [];
  #waiting: (() => void) | undefined;
  #ended = false;
  #failure: unknown;

  push(row: ResultRow): void {
    if (this.#ended) return;
    this.#rows.push(row);
    this.#wake();
  }

  end(failure?: unknown): void {
    this.#ended = true;
    this.#failure ??= failure;
    this.#wake();
  }

  get ended(): boolean {
    return this.#ended;
  }

  #wake(): void {
    const waiting = this.#waiting;
    this.#waiting = undefined;
    waiting?.();
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<ResultRow> {
    for (;;) {
      const row = this.#rows.shift();
      if (row !== undefined) {
        yield row;
        continue;
      }
      if (this.#ended) {
        if (this.#failure !== undefined) throw this.#failure;
        return;
      }
      await new Promise<void>((resolve) => (this.#waiting = resolve));
    }
  }
}
