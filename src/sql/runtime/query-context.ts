// A running query's OperatorContext: its state stores (in memory, one per name) and where processing
// errors go.
import type { KeyValueStore, OperatorContext, ProcessingError } from './operator.js';
import { InMemoryKeyValueStore, type StoreListener } from './state-store.js';

export class QueryContext implements OperatorContext {
  readonly #stores = new Map<string, InMemoryKeyValueStore<unknown>>();

  constructor(
    readonly queryId: string,
    private readonly onError: (error: ProcessingError) => void,
    /** Told of every store write, e.g. to write the store's changelog. */
    private readonly onStoreWrite?: (store: string) => StoreListener<unknown> | undefined,
    /** Entries to restore into each store when it is first asked for (read from its changelog). */
    private readonly restored?: ReadonlyMap<string, ReadonlyMap<string, unknown>>,
  ) {}

  store<V>(name: string): KeyValueStore<V> {
    let store = this.#stores.get(name);
    if (store === undefined) {
      store = new InMemoryKeyValueStore<unknown>(this.onStoreWrite?.(name));
      for (const [key, value] of this.restored?.get(name) ?? []) store.restore(key, value);
      this.#stores.set(name, store);
    }
    return store as InMemoryKeyValueStore<V>;
  }

  stores(): ReadonlyMap<string, InMemoryKeyValueStore<unknown>> {
    return this.#stores;
  }

  processingError(error: ProcessingError): void {
    this.onError(error);
  }
}
