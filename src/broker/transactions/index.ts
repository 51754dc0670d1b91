// Public surface of the transaction coordinator, for the Kafka request handlers and the broker wiring.
export {
  DEFAULT_MAX_TRANSACTION_TIMEOUT_MS,
  DEFAULT_TRANSACTIONAL_ID_EXPIRATION_MS,
  TransactionCoordinator,
  type DescribedTransaction,
  type MarkerResult,
  type MarkerSink,
  type TransactionCoordinatorOptions,
  type TxnProducer,
} from './coordinator.js';
export { writeTxnMarker, type TxnMarker } from './markers.js';
export { partitionMarkerSink } from './partition-markers.js';
export {
  openTransactionStateTopic,
  TRANSACTION_STATE_TOPIC,
  type TxnStateDurability,
  type TxnStateStore,
} from './state-topic.js';
export { decodeTxnLogKey, decodeTxnLogValue, encodeTxnLogKey, encodeTxnLogValue } from './log-records.js';
export { TxnStatus, type TxnLogValue, type TopicPartitions } from './state.js';
