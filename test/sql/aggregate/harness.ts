// Drives an operator outside a query: an in-memory state store that keeps entries as JSON text, through
// the store's codec when it has one (so what the operator stores must survive its changelog, and it
// cannot keep a reference to a stored value instead of putting it again), and a context that collects
// processing errors.
import type {
  KeyValueStore,
  Operator,
  OperatorContext,
  OperatorFactory,
  ProcessingError,
  StoreCodec,
} from '../../../src/sql/runtime/operator.js';
import type { SqlRecord } from '../../../src/sql/runtime/records.js';

class JsonMemoryStore<V> implements KeyValueStore<V> {
  private readonly entriesByKey = new Map<string, string>();
  constructor(private readonly codec?: StoreCodec<V>) {}
  get(key: string): V | undefined {
    const text = this.entriesByKey.get(key);
    if (text === undefined) return undefined;
    const data: unknown = JSON.parse(text);
    return this.codec === undefined ? (data as V) : this.codec.fromData(data);
  }
  put(key: string, value: V): void {
    this.entriesByKey.set(key, JSON.stringify(this.codec === undefined ? value : this.codec.toData(value)));
  }
  delete(key: string): void {
    this.entriesByKey.delete(key);
  }
  *entries(fromKey?: string, toKey?: string): IterableIterator<[string, V]> {
    for (const key of [...this.entriesByKey.keys()].sort()) {
      if ((fromKey === undefined || key >= fromKey) && (toKey === undefined || key <= toKey)) {
        yield [key, this.get(key) as V];
      }
    }
  }
  get size(): number {
    return this.entriesByKey.size;
  }
}

export interface Harness {
  readonly operator: Operator;
  readonly output: SqlRecord[];
  readonly errors: ProcessingError[];
  send(...records: SqlRecord[]): void;
  /** Builds the operator again over the same stores, as a query restarted on its restored state. */
  restart(): void;
}

export function harness(factory: OperatorFactory): Harness {
  const stores = new Map<string, KeyValueStore<unknown>>();
  const output: SqlRecord[] = [];
  const errors: ProcessingError[] = [];
  const context: OperatorContext = {
    queryId: 'CTAS_TEST_1',
    store<V>(name: string, codec?: StoreCodec<V>): KeyValueStore<V> {
      let store = stores.get(name);
      if (store === undefined) {
        store = new JsonMemoryStore<unknown>(codec as StoreCodec<unknown> | undefined);
        stores.set(name, store);
      }
      return store as KeyValueStore<V>;
    },
    processingError: (error) => errors.push(error),
  };
  const build = () => factory((record) => output.push(record), context);
  let operator = build();
  return {
    get operator() {
      return operator;
    },
    output,
    errors,
    send: (...records) => records.forEach((r) => operator.process(r)),
    restart: () => {
      operator = build();
    },
  };
}

let offset = 0;

/** A stream record (or, with `previous`, a table change) with the given key and value columns. */
export function record(
  key: SqlRecord['key'],
  value: SqlRecord['value'],
  timestamp = 0,
  previous?: SqlRecord['previous'],
): SqlRecord {
  return {
    key,
    value,
    timestamp,
    partition: 0,
    offset: offset++,
    ...(previous === undefined ? {} : { previous }),
  };
}
