// Builds the operators of a plan for one running query: each planned source's operators are chained
// (last first, so that each knows its downstream), a Merge input's combining operator gets one port per
// input, and each topic input becomes an entry point. A TABLE source first goes through the table source
// operator, which drops NULL keys and tells downstream each row's previous value.
import type { DataSource } from '../planner/data-source.js';
import type { MergeOperator, PlannedSource } from '../planner/plan.js';
import { keyString } from './key-string.js';
import type { Operator, OperatorContext } from './operator.js';
import type { Emit, SqlRecord } from './records.js';
import type { SqlValue } from '../types/index.js';

export interface PipelineInput {
  readonly source: DataSource;
  readonly alias: string;
  readonly entry: Operator;
}

export interface Pipeline {
  /** One per topic input of the plan, in plan order (a self-join reads the same topic twice). */
  readonly inputs: readonly PipelineInput[];
  /** Stream time moved on: every operator that keeps time hears of it. */
  advance(streamTime: number): void;
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

export function buildPipeline(root: PlannedSource, downstream: Emit, context: OperatorContext): Pipeline {
  const inputs: PipelineInput[] = [];
  const timed: { advance?(t: number): void }[] = [];

  const build = (planned: PlannedSource, out: Emit): void => {
    let next = out;
    for (let i = planned.operators.length - 1; i >= 0; i--) {
      const factory = planned.operators[i];
      if (factory === undefined) continue;
      const operator = factory(next, context);
      timed.push(operator);
      next = (record) => operator.process(record);
    }
    const input = planned.input;
    if (input.kind === 'Topic') {
      const entry: Operator =
        input.source.kind === 'TABLE' ? tableSourceOperator(next, context, input.alias) : { process: next };
      inputs.push({ source: input.source, alias: input.alias, entry });
      return;
    }
    const merge: MergeOperator = input.combine(next, context);
    timed.push(merge);
    input.inputs.forEach((side, i) => {
      const port = merge.ports[i];
      if (port === undefined) throw new Error(`the merge operator has no port ${i}`);
      build(side, (record) => port.process(record));
    });
  };

  build(root, downstream);
  return {
    inputs,
    advance(streamTime) {
      for (const operator of timed) operator.advance?.(streamTime);
    },
  };
}
