// Where the core planner finds the aggregation and join planners, which other modules own. They register
// themselves here (or a caller passes them in PlanOptions), so the core compiles and plans stateless
// queries without them; a GROUP BY or JOIN without one says so instead of failing obscurely.
import type { AggregationPlanner, JoinPlanner } from './plan.js';

let aggregationPlanner: AggregationPlanner | undefined;
let joinPlanner: JoinPlanner | undefined;

export function registerAggregationPlanner(planner: AggregationPlanner): void {
  aggregationPlanner = planner;
}

export function registerJoinPlanner(planner: JoinPlanner): void {
  joinPlanner = planner;
}

export function registeredAggregationPlanner(): AggregationPlanner | undefined {
  return aggregationPlanner;
}

export function registeredJoinPlanner(): JoinPlanner | undefined {
  return joinPlanner;
}
