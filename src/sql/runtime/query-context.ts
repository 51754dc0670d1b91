// A running query's OperatorContext: its state stores (one per name, made by its StoreFactory: in
// memory unless the query keeps them on disk) and where processing errors go.
import type {
  KeyValueStore,
  OperatorContext,
  ProcessingError,
  StoreCodec,
  StoreOptions,
} from './operator.js';
import type { Checkpoint } from './stores/checkpoint.js';
import { inMemoryStores, type StateStore, type StoreFactory, type StoreListener } from './state-store.js';

export class QueryContext implements OperatorContext {
  readonly #stores = new Map<string, StateStore<unknown>>();
  readonly #bound = new Set<string>();

  constructor(
    readonly queryId: string,
    private readonly onError: (error: ProcessingError) => void,
    /** Told of every store write, e.g. to write the store's changelog (through the store's codec). */
    private readonly onStoreWrite?: (
      store: string,
      codec: StoreCodec<unknown> | undefined,
      stateStore: StateStore<unknown>,
      options: StoreOptions,
    ) => StoreListener<unknown> | undefined,
    private readonly factory: StoreFactory = inMemoryStores,
  ) {}

  store<V>(name: string, codec?: StoreCodec<V>, options: StoreOptions = {}): KeyValueStore<V> {
    const store = this.#storeNamed(name);
    if (!this.#bound.has(name)) {
      this.#bound.add(name);
      const untypedCodec = codec as StoreCodec<unknown> | undefined;
      store.bind({
        name,
        codec: untypedCodec,
        listener: this.onStoreWrite?.(name, untypedCodec, store, options),
        // A changelog entry this version cannot read: the key starts over rather than the query failing.
        onError: this.onError,
      });
    }
    return store as StateStore<V>;
  }

  /** The batch's outputs are durable: disk-backed stores may write what changed (see StateStore.commit). */
  commit(): void {
    for (const store of this.#stores.values()) store.commit();
  }

  /** A running checkpoint of the stores at `offsets`, right after a commit (see StoreFactory). */
  saveCheckpoint(offsets: Checkpoint): boolean {
    return this.factory.saveCheckpoint?.(offsets) ?? false;
  }

  dropCheckpoint(): void {
    this.factory.dropCheckpoint?.();
  }

  /** Whether the stores are kept across starts, so that running checkpoints are worth writing. */
  get checkpoints(): boolean {
    return this.factory.saveCheckpoint !== undefined;
  }

  /** Releases the stores (the query stopped); a checkpoint lets disk stores keep their state. */
  async close(checkpoint?: Checkpoint): Promise<void> {
    await this.factory.close(checkpoint);
  }

  /** The changelog offsets the stores' kept state reflects (see StoreFactory.checkpoint). */
  get checkpoint(): Checkpoint | undefined {
    return this.factory.checkpoint;
  }

  stores(): ReadonlyMap<string, StateStore<unknown>> {
    return this.#stores;
  }

  processingError(error: ProcessingError): void {
    this.onError(error);
  }

  #storeNamed(name: string): StateStore<unknown> {
    let store = this.#stores.get(name);
    if (store === undefined) {
      store = this.factory.create(name);
      this.#stores.set(name, store);
    }
    return store;
  }
}
