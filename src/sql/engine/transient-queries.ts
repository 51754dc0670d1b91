// The push queries running now (SELECT ... EMIT CHANGES through /query): TERMINATE <id> closes one,
// stop() closes them all. They leave no trace in the command topic.
import type { QueryHandle } from './api.js';

export class TransientQueries {
  private readonly handles = new Map<string, QueryHandle>();

  /** Tracks the handle until it is closed, by whoever closes it. */
  add(handle: QueryHandle): QueryHandle {
    this.handles.set(handle.queryId, handle);
    const close = handle.close.bind(handle);
    return Object.assign(Object.create(handle) as QueryHandle, {
      close: async () => {
        this.handles.delete(handle.queryId);
        await close();
      },
    });
  }

  has(queryId: string): boolean {
    return this.handles.has(queryId);
  }

  get size(): number {
    return this.handles.size;
  }

  async close(queryId: string): Promise<void> {
    const handle = this.handles.get(queryId);
    this.handles.delete(queryId);
    await handle?.close();
  }

  async closeAll(): Promise<void> {
    const all = [...this.handles.keys()];
    for (const id of all) await this.close(id);
  }
}
