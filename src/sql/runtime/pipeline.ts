// Builds the operators of a plan for one running query: each planned source's operators are chained
// (last first, so that each knows its downstream), a Merge input's combining operator gets one port per
// input, and each topic input becomes an entry point. A TABLE source first goes through the table source
// operator, which drops NULL keys and tells downstream each row's previous value.
//
// With hooks (a persistent query), a repartition marker cuts the chain, as Kafka Streams cuts a topology
// into sub-topologies: what comes before it writes to the repartition topic (the hook's writer), what
// comes after reads that topic (a `repartitions` entry). Sub-topology 0 is the one ending at the sink;
// each cut numbers its upstream part anew. Stores belong to the sub-topology being built when they are made.
import type { DataSource } from '../planner/data-source.js';
import {
  isRepartitionMarker,
  type MergeOperator,
  type PlannedSource,
  type RepartitionPoint,
} from '../planner/plan.js';
import { keyString } from './key-string.js';
import type { Operator, OperatorContext } from './operator.js';
import type { Emit, SqlRecord } from './records.js';
import type { SqlValue } from '../types/index.js';

export interface PipelineInput {
  readonly source: DataSource;
  readonly alias: string;
  readonly entry: Operator;
  readonly subTopology: number;
}

/** A repartition topic's reading side: `entry` takes its records; they belong to `subTopology`. */
export interface RepartitionInput {
  readonly point: RepartitionPoint;
  /** The cut's number, in build order (0, 1, ...), for naming. */
  readonly index: number;
  readonly entry: Operator;
  readonly subTopology: number;
}

export interface PipelineHooks {
  /** The operators (and stores) made from now on belong to this sub-topology. */
  enterSubTopology(id: number): void;
  /** The writing side of a repartition point: takes the records before the cut. */
  repartitionWriter(point: RepartitionPoint, index: number): Operator;
}

export interface Pipeline {
  /** One per topic input of the plan, in plan order (a self-join reads the same topic twice). */
  readonly inputs: readonly PipelineInput[];
  /** One per repartition point, with hooks only (without, the markers pass records on). */
  readonly repartitions: readonly RepartitionInput[];
  /** Stream time moved on: every operator that keeps time hears of it. */
  /**
   * Stream time moved on: the operators that keep time hear of it; only those of one sub-topology when
   * given (each sub-topology has its own stream time, as a Kafka Streams task: a repartition topic's
   * records come a batch after the input records that made them).
   */
  advance(streamTime: number, subTopology?: number): void;
}

/** A table read from its topic: the latest value of each key, so that downstream sees the change. */
function tableSourceOperator(downstream: Emit, context: OperatorContext, alias: string): Operator {
  const rows = context.store<readonly SqlValue[]>(`${alias}-source`);
  return {
    process(record: SqlRecord) {
      if (record.key.length > 0 && record.key.every((v) => v === null)) return;
      const id = keyString(record.key);
      const previous = rows.get(id) ?? null;
      if (record.value === null) {
        if (previous === null) return;
        rows.delete(id);
      } else rows.put(id, record.value);
      downstream({ ...record, previous });
    },
  };
}

export function buildPipeline(
  root: PlannedSource,
  downstream: Emit,
  context: OperatorContext,
  hooks?: PipelineHooks,
): Pipeline {
  const inputs: PipelineInput[] = [];
  const repartitions: RepartitionInput[] = [];
  const timed: { advance?(t: number): void }[] = [];
  /** The sub-topology of each timed operator, by index. */
  const timedIn: number[] = [];
  let subTopologies = 1;

  const build = (planned: PlannedSource, out: Emit, subTopology: number): void => {
    let next = out;
    let current = subTopology;
    for (let i = planned.operators.length - 1; i >= 0; i--) {
      const factory = planned.operators[i];
      if (factory === undefined) continue;
      if (hooks !== undefined && isRepartitionMarker(factory)) {
        const reader = next;
        repartitions.push({
          point: factory.repartition,
          index: repartitions.length,
          entry: { process: reader },
          subTopology: current,
        });
        current = subTopologies++;
        hooks.enterSubTopology(current);
        const writer = hooks.repartitionWriter(factory.repartition, repartitions.length - 1);
        next = (record) => writer.process(record);
        continue;
      }
      hooks?.enterSubTopology(current);
      const operator = factory(next, context);
      timed.push(operator);
      timedIn.push(current);
      next = (record) => operator.process(record);
    }
    const input = planned.input;
    hooks?.enterSubTopology(current);
    if (input.kind === 'Topic') {
      const entry: Operator =
        input.source.kind === 'TABLE' ? tableSourceOperator(next, context, input.alias) : { process: next };
      inputs.push({ source: input.source, alias: input.alias, entry, subTopology: current });
      return;
    }
    const merge: MergeOperator = input.combine(next, context);
    timed.push(merge);
    timedIn.push(current);
    input.inputs.forEach((side, i) => {
      const port = merge.ports[i];
      if (port === undefined) throw new Error(`the merge operator has no port ${i}`);
      build(side, (record) => port.process(record), current);
    });
  };

  hooks?.enterSubTopology(0);
  build(root, downstream, 0);
  return {
    inputs,
    repartitions,
    advance(streamTime, subTopology) {
      for (let i = 0; i < timed.length; i++)
        if (subTopology === undefined || timedIn[i] === subTopology) timed[i]?.advance?.(streamTime);
    },
  };
}
