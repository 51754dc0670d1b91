// A minimal stand-in for the query runner, for tests only: it builds a planned source's operator tree
// (a Merge input's sides feed the ports of its combining operator) and lets a test push records in
// per source, in the order a qtt case gives them.
import type { PlannedSource } from '../../../src/sql/planner/plan.js';
import type { Operator, OperatorContext } from '../../../src/sql/runtime/operator.js';
import type { Emit, SqlRecord } from '../../../src/sql/runtime/records.js';

export interface BuiltPlan {
  /** Entry points per catalog source name (a source may appear once in a join). */
  readonly inputs: ReadonlyMap<string, Operator>;
  /** Every operator with advance(), for stream time. */
  readonly advancing: readonly { advance(streamTime: number): void }[];
}

export function buildPlan(plan: PlannedSource, downstream: Emit, context: OperatorContext): BuiltPlan {
  const inputs = new Map<string, Operator>();
  const advancing: { advance(streamTime: number): void }[] = [];
  const build = (planned: PlannedSource, emit: Emit): void => {
    let next: Emit = emit;
    for (const factory of [...planned.operators].reverse()) {
      const operator = factory(next, context);
      if (operator.advance !== undefined) advancing.push({ advance: (t) => operator.advance?.(t) });
      next = (record: SqlRecord) => operator.process(record);
    }
    const head = next;
    if (planned.input.kind === 'Topic') {
      inputs.set(planned.input.source.name, { process: head });
      return;
    }
    const merge = planned.input.combine(head, context);
    if (merge.advance !== undefined) advancing.push({ advance: (t) => merge.advance?.(t) });
    planned.input.inputs.forEach((input, i) => {
      const port = merge.ports[i];
      if (port === undefined) throw new Error(`merge has no port ${i}`);
      build(input, (record) => port.process(record));
    });
  };
  build(plan, downstream);
  return { inputs, advancing };
}
