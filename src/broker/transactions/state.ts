// A transactional id's coordinator state, as Kafka's transaction coordinator keeps it (KIP-98).
// The status numbers are the ones Kafka writes in __transaction_state, so its tools read Venice's records.

export const TxnStatus = {
  Empty: 0,
  Ongoing: 1,
  PrepareCommit: 2,
  PrepareAbort: 3,
  CompleteCommit: 4,
  CompleteAbort: 5,
  Dead: 6,
  PrepareEpochFence: 7,
} as const;
export type TxnStatusValue = (typeof TxnStatus)[keyof typeof TxnStatus];
export type TxnStatusName = keyof typeof TxnStatus;

const NAMES = new Map<number, TxnStatusName>(
  Object.entries(TxnStatus).map(([name, value]) => [value, name as TxnStatusName]),
);

export function statusName(status: TxnStatusValue): TxnStatusName {
  return NAMES.get(status)!;
}

export function isTxnStatus(value: number): value is TxnStatusValue {
  return NAMES.has(value);
}

/** DescribeTransactions and ListTransactions name states the way Kafka's admin client expects. */
const ADMIN_NAMES: Record<TxnStatusName, string> = {
  Empty: 'Empty',
  Ongoing: 'Ongoing',
  PrepareCommit: 'PrepareCommit',
  PrepareAbort: 'PrepareAbort',
  CompleteCommit: 'CompleteCommit',
  CompleteAbort: 'CompleteAbort',
  Dead: 'Dead',
  PrepareEpochFence: 'PrepareEpochFence',
};

export function adminStateName(status: TxnStatusValue): string {
  return ADMIN_NAMES[statusName(status)];
}

export function statusFromAdminName(name: string): TxnStatusValue | undefined {
  const found = Object.entries(ADMIN_NAMES).find(([, admin]) => admin === name);
  return found ? TxnStatus[found[0] as TxnStatusName] : undefined;
}

export interface TopicPartitions {
  topic: string;
  partitions: number[];
}

/** One `__transaction_state` value (TransactionLogValue v0/v1). */
export interface TxnLogValue {
  producerId: bigint;
  producerEpoch: number;
  /** The producer id before the last one (KIP-360 retries of InitProducerId); -1 when none. */
  previousProducerId: bigint;
  transactionTimeoutMs: number;
  status: TxnStatusValue;
  partitions: TopicPartitions[];
  lastUpdateTimestampMs: number;
  /** -1 while no transaction is open. */
  startTimestampMs: number;
}

/** An epoch value meaning "no epoch yet": a new transactional id's first InitProducerId bumps it to 0. */
export const NO_PRODUCER_EPOCH = -1;
/** Epochs are int16; Kafka leaves the last value unused so a fence bump always fits. */
export const MAX_PRODUCER_EPOCH = 32767;

export function isPrepare(status: TxnStatusValue): boolean {
  return status === TxnStatus.PrepareCommit || status === TxnStatus.PrepareAbort;
}

export function isComplete(status: TxnStatusValue): boolean {
  return status === TxnStatus.CompleteCommit || status === TxnStatus.CompleteAbort;
}
