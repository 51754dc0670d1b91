// Routes consumed records to a pipeline's entry points: one decoder per source (a self-join reads one
// topic for two inputs), processing errors reported and the record skipped, stream time advanced.
import type { ConsumedRecord } from '../../client/index.js';
import { SchemaNotLoadedError } from '../formats/format.js';
import type { RuntimeDeps } from './context.js';
import type { OperatorContext } from './operator.js';
import type { Pipeline } from './pipeline.js';
import type { SqlRecord } from './records.js';
import { SourceDecoder } from './source-stage.js';

interface Route {
  readonly decoder: SourceDecoder;
  readonly entries: ((record: SqlRecord) => void)[];
}

export class InputRouter {
  #streamTime = -Infinity;

  private constructor(
    private readonly routes: ReadonlyMap<string, readonly Route[]>,
    private readonly pipeline: Pipeline,
    private readonly context: OperatorContext,
  ) {}

  /** The topics read, in the plan's order (the order that breaks timestamp ties). */
  get topics(): string[] {
    return [...this.routes.keys()];
  }

  static async create(pipeline: Pipeline, context: OperatorContext, deps: RuntimeDeps): Promise<InputRouter> {
    const routes = new Map<string, Route[]>();
    const bySource = new Map<string, Route>();
    for (const input of pipeline.inputs) {
      let route = bySource.get(input.source.name);
      if (route === undefined) {
        route = {
          decoder: await SourceDecoder.create(input.source, deps.createSerde, deps.functions),
          entries: [],
        };
        bySource.set(input.source.name, route);
        const list = routes.get(input.source.topic) ?? [];
        list.push(route);
        routes.set(input.source.topic, list);
      }
      const entry = input.entry;
      route.entries.push((record) => entry.process(record));
    }
    return new InputRouter(routes, pipeline, context);
  }

  /** Decodes and processes one record; a bad one goes to the processing log. */
  async process(consumed: ConsumedRecord): Promise<void> {
    for (const route of this.routes.get(consumed.topic) ?? []) {
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
      this.#deliver(route, record);
    }
  }

  #deliver(route: Route, record: SqlRecord): void {
    if (record.timestamp > this.#streamTime) {
      this.#streamTime = record.timestamp;
      this.pipeline.advance(record.timestamp);
    }
    for (const entry of route.entries) {
      try {
        entry(record);
      } catch (error) {
        this.context.processingError({
          message: `Error processing a record of ${route.decoder.source.name}: ${(error as Error).message}`,
          record,
          cause: error,
        });
      }
    }
  }
}
