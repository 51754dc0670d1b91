// Public surface of the group coordinator, for the Kafka request handlers and the broker wiring.
export { GroupCoordinator, type GroupCoordinatorOptions } from './coordinator.js';
export { realTimers, type Timers } from './timers.js';
export {
  decodeGroupMetadataValue,
  decodeOffsetCommitValue,
  decodeRecordKey,
  encodeGroupMetadataKey,
  encodeGroupMetadataValue,
  encodeOffsetCommitKey,
  encodeOffsetCommitValue,
  type GroupMetadataValue,
  type GroupRecordKey,
  type OffsetCommitValue,
  type PersistedMember,
} from './records.js';
export type * from './types.js';
