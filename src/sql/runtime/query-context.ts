// A running query's OperatorContext: its state stores (in memory, one per name) and where processing
// errors go.
import type { KeyValueStore, OperatorContext, ProcessingError, StoreCodec } from './operator.js';
import { InMemoryKeyValueStore, type StoreListener } from './state-store.js';

export class QueryContext implements OperatorContext {
  readonly #stores = new Map<string, InMemoryKeyValueStore<unknown>>();

  constructor(
    readonly queryId: string,
    private readonly onError: (error: ProcessingError) => void,
    /** Told of every store write, e.g. to write the store's changelog (through the store's codec). */
    private readonly onStoreWrite?: (
      store: string,
      codec: StoreCodec<unknown> | undefined,
    ) => StoreListener<unknown> | undefined,
    /** Each store's changelog data, restored (through its codec) when the store is first asked for. */
    private readonly restored?: ReadonlyMap<string, ReadonlyMap<string, unknown>>,
  ) {}

  store<V>(name: string, codec?: StoreCodec<V>): KeyValueStore<V> {
    let store = this.#stores.get(name);
    if (store === undefined) {
      const untypedCodec = codec as StoreCodec<unknown> | undefined;
      store = new InMemoryKeyValueStore<unknown>(this.onStoreWrite?.(name, untypedCodec));
      for (const [key, data] of this.restored?.get(name) ?? []) {
        try {
          store.restore(key, untypedCodec === undefined ? data : untypedCodec.fromData(data));
        } catch (error) {
          // A changelog entry this version cannot read: the key starts over rather than the query failing.
          this.onError({ message: `Could not restore ${key} of state store ${name}`, cause: error });
        }
      }
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
