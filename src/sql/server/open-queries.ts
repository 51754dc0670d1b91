// The queries being streamed to clients, by id: /close-query ends one, and stopping the server ends all.
import type { QueryHandle } from '../engine/api.js';

export class OpenQueries {
  readonly #queries = new Map<string, QueryHandle>();

  add(handle: QueryHandle): void {
    this.#queries.set(handle.queryId, handle);
  }

  remove(handle: QueryHandle): void {
    if (this.#queries.get(handle.queryId) === handle) this.#queries.delete(handle.queryId);
  }

  get(queryId: string): QueryHandle | undefined {
    return this.#queries.get(queryId);
  }

  get size(): number {
    return this.#queries.size;
  }

  /** Closes one; false when no query has that id. */
  async close(queryId: string): Promise<boolean> {
    const handle = this.#queries.get(queryId);
    if (!handle) return false;
    this.#queries.delete(queryId);
    await handle.close();
    return true;
  }

  async closeAll(): Promise<void> {
    const handles = [...this.#queries.values()];
    this.#queries.clear();
    await Promise.allSettled(handles.map((handle) => handle.close()));
  }
}
