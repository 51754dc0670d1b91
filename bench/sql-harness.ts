// The measuring part of bench/sql.ts: plans a CREATE ... AS SELECT with the real planner (aggregation
// and join planners registered), builds its operators with in-memory state stores, and times JSON
// records through decode → operators → encode as the persistent query's input router drives them.
import type { ConsumedRecord, ProduceRecord } from '../src/client/index.js';
import { createSerde } from '../src/sql/formats/index.js';
import type { FunctionRegistry } from '../src/sql/functions/index.js';
import { parseStatements } from '../src/sql/parser/index.js';
// The aggregation and join planners register themselves with the core planner when loaded.
import '../src/sql/planner/aggregation.js';
import '../src/sql/planner/join.js';
import type { DataSource } from '../src/sql/planner/data-source.js';
import { planQuery, type QueryPlan } from '../src/sql/planner/index.js';
import {
  buildPipeline,
  QueryContext,
  SinkEncoder,
  SourceDecoder,
  type Pipeline,
} from '../src/sql/runtime/index.js';

export const TRIALS = 3;
/**
 * The running query hands its outputs to the producer after each consumed batch; the bench drops
 * them as often, so that keeping 200,000 outputs alive does not add old-generation GC work.
 */
const BATCH = 500;

export interface Workload {
  readonly label: string;
  readonly target: number;
  readonly sql: string;
  readonly sources: readonly DataSource[];
  /** The records timed, all of one source. */
  readonly timed: { readonly source: string; readonly records: readonly ConsumedRecord[] };
  /** Records processed before each trial's clock starts (a join's table side), not counted. */
  readonly preload?: { readonly source: string; readonly records: readonly ConsumedRecord[] };
}

export interface Result {
  readonly recordsPerSecond: number;
  readonly trials: readonly number[];
  readonly produced: number;
}

const serdeFor = (target: Parameters<typeof createSerde>[0]) => createSerde(target);

function plan(workload: Workload, functions: FunctionRegistry): { plan: QueryPlan; sink: DataSource } {
  const [statement] = parseStatements(workload.sql);
  if (statement?.kind !== 'CreateAsSelect')
    throw new Error(`expected a CREATE ... AS SELECT: ${workload.sql}`);
  const byName = new Map(workload.sources.map((s) => [s.name, s]));
  const sinkType = statement.sourceType;
  const planned = planQuery(
    statement.query,
    { source: (name) => byName.get(name) },
    {
      type: 'PERSISTENT',
      functions,
      sink: { kind: 'CREATE', sourceType: sinkType, name: statement.name.value },
    },
  );
  const first = workload.sources[0] as DataSource;
  const sink: DataSource = {
    ...first,
    name: statement.name.value,
    kind: planned.kind,
    topic: statement.name.value,
    schema: planned.schema,
    ...(planned.window === undefined ? {} : { window: planned.window }),
  };
  return { plan: planned, sink };
}

/** Feeds records to every pipeline input of their source, advancing stream time as InputRouter does. */
class Feeder {
  #streamTime = -Infinity;

  constructor(
    private readonly pipeline: Pipeline,
    private readonly decoders: ReadonlyMap<string, SourceDecoder>,
  ) {}

  feed(sourceName: string, records: readonly ConsumedRecord[], afterBatch: () => void): void {
    const decoder = this.decoders.get(sourceName);
    const entries = this.pipeline.inputs.filter((i) => i.source.name === sourceName).map((i) => i.entry);
    if (decoder === undefined || entries.length === 0) throw new Error(`no input reads ${sourceName}`);
    for (let i = 0; i < records.length; i++) {
      const record = decoder.decodeLoaded(records[i] as ConsumedRecord);
      if (record.timestamp > this.#streamTime) {
        this.#streamTime = record.timestamp;
        this.pipeline.advance(record.timestamp);
      }
      for (const entry of entries) entry.process(record);
      if ((i + 1) % BATCH === 0) afterBatch();
    }
    afterBatch();
  }
}

export async function measure(workload: Workload, functions: FunctionRegistry): Promise<Result> {
  const { plan: planned, sink } = plan(workload, functions);
  const decoders = new Map<string, SourceDecoder>();
  for (const source of workload.sources) {
    decoders.set(source.name, await SourceDecoder.create(source, serdeFor));
  }
  const encoder = await SinkEncoder.create(sink, serdeFor);
  planned.errors.target = (error) => {
    throw new Error(error.message);
  };
  let outputs: ProduceRecord[] = [];
  let produced = 0;
  const drain = (): void => {
    produced += outputs.length;
    outputs = [];
  };

  // Each trial starts from empty state: a fresh context and operators, the table side (if any) loaded
  // before the clock starts.
  const trial = (): number => {
    const context = new QueryContext(`BENCH_${sink.name}`, (error) => {
      throw new Error(error.message);
    });
    const pipeline = buildPipeline(planned.root, (r) => outputs.push(encoder.encode(r)), context);
    const feeder = new Feeder(pipeline, decoders);
    if (workload.preload !== undefined) feeder.feed(workload.preload.source, workload.preload.records, drain);
    produced = 0;
    const started = process.hrtime.bigint();
    feeder.feed(workload.timed.source, workload.timed.records, drain);
    return Number(process.hrtime.bigint() - started) / 1e9;
  };

  trial(); // warm-up
  const times = Array.from({ length: TRIALS }, trial);
  const count = workload.timed.records.length;
  const rates = times.map((t) => Math.round(count / t));
  const sorted = [...rates].sort((a, b) => a - b);
  return { recordsPerSecond: sorted[Math.floor(TRIALS / 2)] as number, trials: rates, produced };
}
