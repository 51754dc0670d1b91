// Routes consumed records to a pipeline's entry points: one decoder per source (a self-join reads one
// topic for two inputs), processing errors reported and the record skipped, stream time advanced. A
// persistent query's repartition topics are routed too (repartition.ts decodes them), and a
// sub-topology reading one besides other inputs takes its records in arrival order (arrival-order.ts).
import type { ConsumedRecord } from '../../client/index.js';
import { SchemaNotLoadedError } from '../formats/format.js';
import type { RuntimeDeps } from './context.js';
import { QueryFailure, type OperatorContext } from './operator.js';
import type { Pipeline } from './pipeline.js';
import type { SqlRecord } from './records.js';
import type { ArrivalOrder, ArrivalOrders } from './arrival-order.js';
import { readRepartitioned } from './repartition.js';
import { SourceDecoder } from './source-stage.js';

/** Bytes to a record: synchronously when the schemas are loaded, else through `decode`. */
interface RecordDecoder {
  /** What error messages call the records' origin. */
  readonly name: string;
  decodeLoaded(consumed: ConsumedRecord): SqlRecord;
  decode(consumed: ConsumedRecord): Promise<SqlRecord>;
}

interface Route {
  readonly decoder: RecordDecoder;
  readonly entries: ((record: SqlRecord) => void)[];
  /** The sub-topologies its entries belong to (one, but for a self-join with a side repartitioned). */
  readonly subTopologies: number[];
  /** The arrival order its sub-topology keeps, if any. */
  order?: ArrivalOrder;
  /** Set on a repartition topic's route: the ticket of the record last decoded. */
  readonly tickets?: { last: readonly [number, number] | undefined };
}

function repartitionRoute(topic: string, entry: (record: SqlRecord) => void, subTopology: number): Route {
  const tickets: { last: readonly [number, number] | undefined } = { last: undefined };
  const decodeLoaded = (consumed: ConsumedRecord): SqlRecord => {
    const read = readRepartitioned(consumed);
    tickets.last = read.ticket;
    return read.record;
  };
  return {
    decoder: { name: topic, decodeLoaded, decode: (consumed) => Promise.resolve(decodeLoaded(consumed)) },
    entries: [entry],
    subTopologies: [subTopology],
    tickets,
  };
}

export class InputRouter {
  /** Each sub-topology's stream time. */
  readonly #streamTimes: number[] = [];
  /** Told of each consumed record before it is processed (a persistent query's changelog partition). */
  beforeRecord: ((consumed: ConsumedRecord) => void) | undefined;

  private constructor(
    private readonly decoders: ReadonlyMap<
      string,
      { readonly topic: string; readonly decoder: RecordDecoder }
    >,
    private pipeline: Pipeline,
    private readonly context: OperatorContext,
    private readonly repartitionTopics: readonly string[],
    private readonly orders: ArrivalOrders | undefined,
  ) {
    this.routes = this.#wire(pipeline);
  }

  private routes: ReadonlyMap<string, readonly Route[]>;

  /** The topics read, in the plan's order (the order that breaks timestamp ties). */
  get topics(): string[] {
    return [...this.routes.keys()];
  }

  /** `repartitionTopics`: each repartition point's topic, by its index (a persistent query's). */
  static async create(
    pipeline: Pipeline,
    context: OperatorContext,
    deps: RuntimeDeps,
    repartitionTopics: readonly string[] = [],
    orders?: ArrivalOrders,
  ): Promise<InputRouter> {
    const decoders = new Map<string, { topic: string; decoder: RecordDecoder }>();
    for (const input of pipeline.inputs) {
      if (decoders.has(input.source.name)) continue;
      const decoder = await SourceDecoder.create(input.source, deps.createSerde);
      decoders.set(input.source.name, {
        topic: input.source.topic,
        decoder: {
          name: input.source.name,
          decodeLoaded: (consumed) => decoder.decodeLoaded(consumed),
          decode: (consumed) => decoder.decode(consumed),
        },
      });
    }
    return new InputRouter(decoders, pipeline, context, repartitionTopics, orders);
  }

  /**
   * Sends records to a new build of the same plan (its operators made again over the same stores, e.g.
   * after state was restored), at the stream time reached.
   */
  rewire(pipeline: Pipeline): void {
    this.routes = this.#wire(pipeline);
    this.pipeline = pipeline;
    this.#streamTimes.forEach((time, subTopology) => pipeline.advance(time, subTopology));
  }

  #wire(pipeline: Pipeline): Map<string, Route[]> {
    this.orders?.configure(pipeline, this.repartitionTopics);
    const routes = new Map<string, Route[]>();
    const bySource = new Map<string, Route>();
    for (const input of pipeline.inputs) {
      let route = bySource.get(input.source.name);
      if (route === undefined) {
        const known = this.decoders.get(input.source.name);
        if (known === undefined) throw new Error(`no decoder for ${input.source.name}`);
        route = { decoder: known.decoder, entries: [], subTopologies: [] };
        bySource.set(input.source.name, route);
        const list = routes.get(known.topic) ?? [];
        list.push(route);
        routes.set(known.topic, list);
      }
      const entry = input.entry;
      route.entries.push((record) => entry.process(record));
      if (!route.subTopologies.includes(input.subTopology)) route.subTopologies.push(input.subTopology);
    }
    for (const repartition of pipeline.repartitions) {
      const topic = this.repartitionTopics[repartition.index];
      if (topic === undefined) throw new Error(`no topic for repartition point ${repartition.index}`);
      const entry = repartition.entry;
      routes.set(topic, [repartitionRoute(topic, (r) => entry.process(r), repartition.subTopology)]);
    }
    for (const list of routes.values())
      for (const route of list) {
        const order =
          route.subTopologies.length === 1 ? this.orders?.of(route.subTopologies[0] ?? 0) : undefined;
        if (order !== undefined) route.order = order;
      }
    return routes;
  }

  /** Decodes and processes one record; a bad one goes to the processing log. */
  async process(consumed: ConsumedRecord): Promise<void> {
    this.beforeRecord?.(consumed);
    const routes = this.routes.get(consumed.topic) ?? [];
    for (let i = 0; i < routes.length; i++) {
      const route = routes[i] as Route;
      let record: SqlRecord;
      try {
        record = route.decoder.decodeLoaded(consumed);
      } catch (error) {
        try {
          if (!(error instanceof SchemaNotLoadedError)) throw error;
          record = await route.decoder.decode(consumed);
        } catch (failure) {
          this.context.processingError({
            message: `Failed to deserialize a record of ${consumed.topic} partition ${consumed.partition} offset ${consumed.offset}: ${(failure as Error).message}`,
            cause: failure,
            type: 'DESERIALIZATION_ERROR',
            topic: consumed.topic,
            bytes: { key: consumed.key, value: consumed.value },
          });
          continue;
        }
      }
      const order = route.order;
      if (order === undefined) {
        this.#deliver(route, record);
        continue;
      }
      // Run when its turn comes, through the routes of that time (a rebalance may rebuild them first).
      const deliver = () => {
        const current = this.routes.get(consumed.topic)?.[i];
        if (current === undefined) return;
        this.beforeRecord?.(consumed);
        this.#deliver(current, record);
      };
      if (route.tickets !== undefined) order.arrived(route.tickets.last, deliver);
      else order.direct(deliver, consumed);
    }
  }

  #deliver(route: Route, record: SqlRecord): void {
    for (const subTopology of route.subTopologies) {
      if (record.timestamp > (this.#streamTimes[subTopology] ?? -Infinity)) {
        this.#streamTimes[subTopology] = record.timestamp;
        this.pipeline.advance(record.timestamp, subTopology);
      }
    }
    for (const entry of route.entries) {
      try {
        entry(record);
      } catch (error) {
        if (error instanceof QueryFailure) throw failedIn(record, route.decoder.name, error);
        this.context.processingError({
          message: `Error processing a record of ${route.decoder.name}: ${(error as Error).message}`,
          record,
          cause: error,
        });
      }
    }
  }
}

/** Kafka Streams' words for an exception out of a processor, with where the record came from. */
function failedIn(record: SqlRecord, origin: string, failure: QueryFailure): QueryFailure {
  return new QueryFailure(
    `Exception caught in process. source=${origin}, partition=${record.partition}, offset=${record.offset}: ${failure.message}`,
    { cause: failure },
  );
}
