// The join operators. A join is a Merge input (planner/plan.ts): each side's pipeline ends with
// joinSideOperator (key = join key, value = the side's whole row), and feeds one port of the join's
// MergeOperator (port 0 the left side, port 1 the right side). The runtime calls advance(streamTime)
// on the MergeOperator as on any operator, so a stream-stream join can forget expired records.
export { combineRows, type JoinedRowLayout, type JoinRow } from './joined-row.js';
export { joinSideOperator, type JoinSideSpec } from './join-side.js';
export { streamTableJoin, type StreamTableJoinSpec } from './stream-table.js';
export { tableTableJoin, type TableTableJoinSpec } from './table-table.js';
export { streamStreamJoin, type StreamStreamJoinSpec } from './stream-stream.js';
export { foreignKeyJoin, type ForeignKeyJoinSpec } from './foreign-key.js';
