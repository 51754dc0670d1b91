// The processing log: records that failed (deserialization, evaluation, serialization) are logged and
// written as JSON to `<serviceId>ksql_processing_log`, as ksqlDB does, and the query goes on.
import type { ProcessingError } from './operator.js';
import type { RuntimeDeps } from './context.js';

export function processingLogTopic(serviceId: string): string {
  return `${serviceId}ksql_processing_log`;
}

function describeCause(cause: unknown): string | undefined {
  return cause instanceof Error ? cause.message : cause === undefined ? undefined : String(cause);
}

/** A function that reports one processing error of query `queryId`; writing it never fails the query. */
export function processingLog(deps: RuntimeDeps, queryId: string): (error: ProcessingError) => void {
  const topic = processingLogTopic(deps.serviceId);
  return (error) => {
    const cause = describeCause(error.cause);
    deps.logger.warn({ queryId, cause, offset: error.record?.offset }, error.message);
    const entry = {
      level: 'ERROR',
      logger: `processing.${queryId}`,
      time: Date.now(),
      message: {
        type: 'RECORD_PROCESSING_ERROR',
        errorMessage: error.message,
        ...(cause === undefined ? {} : { cause: [cause] }),
        ...(error.record === undefined
          ? {}
          : {
              record: {
                partition: error.record.partition,
                offset: error.record.offset,
                timestamp: error.record.timestamp,
              },
            }),
      },
    };
    deps.kafka
      .produce([{ topic, key: null, value: Buffer.from(JSON.stringify(entry)) }])
      .catch((e: unknown) => {
        deps.logger.debug({ queryId, cause: describeCause(e) }, 'could not write to the processing log');
      });
  };
}
